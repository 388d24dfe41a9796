"""The parts of every page that differ per viewer (forum/core/perviewer.py): the
account menu, the flash messages and the theme. A page with a shared render
starts its parts from `chrome(request)`."""

import threading
from collections import OrderedDict

from django.contrib.messages import get_messages
from django.template.loader import render_to_string

from forum.core.perviewer import shared_context
from forum.policy.rules import is_moderator

_lock = threading.Lock()
_NAV_LIMIT = 512
_navs: OrderedDict[tuple, str] = OrderedDict()


def _nav(request) -> str:
    """The account menu, rendered once per process for each member and what it
    shows (name, avatar, role), with a slot for the CSRF token of its log-out
    form (filled per request)."""
    user = request.user
    moderator = is_moderator(user)
    avatar = str(getattr(user, "avatar", ""))
    key = (user.pk, user.username, avatar, moderator, user.is_staff)
    with _lock:
        html = _navs.get(key)
        if html is not None:
            _navs.move_to_end(key)
            return html
    context = {"user": user, "IS_MODERATOR": moderator, "request": request}
    html = render_to_string("partials/_user_nav.html", context | shared_context())
    with _lock:
        _navs[key] = html
        while len(_navs) > _NAV_LIMIT:
            _navs.popitem(last=False)
    return html


def _messages(request) -> str:
    storage = get_messages(request)
    if not storage:
        return ""
    return render_to_string("partials/_messages.html", {"messages": storage})


def forget_local() -> None:
    with _lock:
        _navs.clear()


def chrome(request) -> dict:
    """Fillers for the parts of base.html."""

    return {
        # The menu's log-out form keeps the CSRF token's marker: filling puts
        # the page's one token in.
        "nav": lambda arg, inner: _nav(request),
        "messages": lambda arg, inner: _messages(request),
        "theme": lambda arg, inner: getattr(request.user, "theme", "auto"),
    }
