"""What every template knows about its viewer: their theme and whether they
moderate somewhere (the moderator links in the header)."""

from forum.core.perviewer import is_representative, value_marker
from forum.policy.rules import is_moderator


def viewer(request):
    user = request.user
    if is_representative(user):  # a shared render: the theme is filled per viewer
        return {"THEME": value_marker("theme"), "IS_MODERATOR": False}
    if not user.is_authenticated:
        return {"THEME": "auto", "IS_MODERATOR": False}
    return {"THEME": getattr(user, "theme", "auto"), "IS_MODERATOR": is_moderator(user)}
