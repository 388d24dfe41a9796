"""What every template knows about its viewer: their theme and whether they
moderate somewhere (the moderator links in the header)."""

from forum.policy.rules import is_moderator


def viewer(request):
    user = request.user
    if not user.is_authenticated:
        return {"THEME": "auto", "IS_MODERATOR": False}
    return {"THEME": getattr(user, "theme", "auto"), "IS_MODERATOR": is_moderator(user)}
