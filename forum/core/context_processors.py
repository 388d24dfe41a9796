from django.conf import settings


def site(request):
    user = request.user
    theme = getattr(user, "theme", "auto") if user.is_authenticated else "auto"
    context = {"SITE_NAME": settings.SITE_NAME, "THEME": theme, "IS_MODERATOR": False}
    if user.is_authenticated:
        # Lazily: the policy module sits above every app.
        from forum.permissions import is_moderator

        context["IS_MODERATOR"] = is_moderator(user)
    return context
