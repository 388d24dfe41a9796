"""The parts of every page that differ per member, filled into a shared render
(forum.core.pagecache): the account menu and the flash messages."""

import threading
from collections import OrderedDict

from django.contrib.messages import get_messages
from django.template.loader import render_to_string

from forum.core import pagecache
from forum.policy import is_moderator

_lock = threading.Lock()

# The holes every page has: the account menu and the flash messages.
_NAV_LIMIT = 512
_navs: OrderedDict[tuple, str] = OrderedDict()


def _nav(request) -> str:
    """The account menu, rendered once per process for each member (and again
    when what it shows changes: name, avatar, role)."""
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
    html = render_to_string(
        "partials/_user_nav.html", context | pagecache.shared_context()
    )
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


def page_fillers(request) -> dict:
    """Fillers for the holes of the page chrome (base.html)."""
    return {
        "nav": lambda arg, shape, inner: _nav(request),
        "messages": lambda arg, shape, inner: _messages(request),
    }
