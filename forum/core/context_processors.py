from django.conf import settings


def site(request):
    user = request.user
    theme = getattr(user, "theme", "auto") if user.is_authenticated else "auto"
    return {"SITE_NAME": settings.SITE_NAME, "THEME": theme}
