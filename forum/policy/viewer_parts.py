"""The parts of every page that differ per viewer (forum/core/perviewer.py): the
account menu, the member's unread alerts count beside it, the flash messages and
the theme; and `member_page`, the way a list page (the index, a forum, What's
new, a profile) is served from a shared render with those parts and its own."""

import threading
from collections import OrderedDict
from functools import lru_cache

from django.contrib.messages import get_messages
from django.shortcuts import render
from django.template.loader import render_to_string

from forum.core.perviewer import SharedPage, shared_context
from forum.policy.rules import can_post, is_moderator

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


@lru_cache(maxsize=128)
def _alerts_link(unread: int) -> str:
    context = {"user": _Counted(unread)}
    return render_to_string("partials/_alerts_count.html", context)


class _Counted:
    """What the alerts link reads of a member: the same for every member with
    this many unread alerts (a count on the member row, no query)."""

    is_authenticated = True

    def __init__(self, unread: int):
        self.unread_alert_count = unread


def _alerts(request) -> str:
    """The header's alerts link with the member's unread count; nothing for a
    guest. (The unread conversations' count, when there is one, is a part
    beside it, filled the same way.)"""
    user = request.user
    if not user.is_authenticated:
        return ""
    return _alerts_link(getattr(user, "unread_alert_count", 0))


def _messages(request) -> str:
    storage = get_messages(request)
    if not storage:
        return ""
    return render_to_string("partials/_messages.html", {"messages": storage})


# What apps above add to the account menu beside the alerts (the unread
# conversations count) and beside a member's name (a "Start conversation"
# link): `draw(request) -> html` and `draw(user, member_id) -> html`, read
# with the viewer's row only (no query).
_nav_items: dict[str, object] = {}
_member_actions: dict[str, object] = {}


def register_nav_item(name: str, draw) -> None:
    """`draw(request) -> html` beside the alerts in the header's counts (inside
    the "alerts" part: a shared render leaves it to each viewer)."""
    _nav_items[name] = draw


def register_member_action(name: str, draw) -> None:
    """`draw(user, member_id) -> html`: a link about that member for this viewer
    (inside a declared part: the author card's and the profile's tools)."""
    _member_actions[name] = draw


def nav_items(request) -> str:
    user = request.user
    if not user.is_authenticated:
        return ""
    return "".join(draw(request) for draw in _nav_items.values())


def member_actions(user, member_id: int) -> str:
    if not user.is_authenticated or user.pk == member_id:
        return ""
    return "".join(draw(user, member_id) for draw in _member_actions.values())


def forget_local() -> None:
    with _lock:
        _navs.clear()
    _alerts_link.cache_clear()


def chrome(request) -> dict:
    """Fillers for the parts of base.html."""

    return {
        # The menu's log-out form keeps the CSRF token's marker: filling puts
        # the page's one token in.
        "nav": lambda arg, inner: _nav(request),
        # The alerts link, then what apps add beside it (unread conversations).
        "alerts": lambda arg, inner: _alerts(request) + nav_items(request),
        "messages": lambda arg, inner: _messages(request),
        "theme": lambda arg, inner: getattr(request.user, "theme", "auto"),
    }


def role(user) -> str:
    """The role whose representative a member's shared render is made for."""
    return "member" if can_post(user) else "unverified"


def member_page(
    request, *, kind, depends_on, template, context_for, parts, facts, alone=False
):
    """A page from the shared render of the viewer's role, with its parts filled;
    rendered for the viewer alone when they are a guest (the guest cache keeps
    those) or their page-level `facts(viewer)` differ from the representative's.

    `context_for(viewer)` answers (template context, data): the data is what the
    page's own parts need to know of what it showed (kept with a shared render);
    `parts(data)` makes those parts' fillers for this request's viewer.
    `alone`: what the page shows depends on the viewer (a forum page's "unread
    only"): rendered for them alone, never shared."""
    user = request.user

    def fillers(data):
        return chrome(request) | parts(data)

    def own():
        context, data = context_for(user)
        context["PER_VIEWER_PARTS"] = fillers(data)
        return render(request, template, context)

    if alone or not user.is_authenticated:
        return own()

    def render_shared(representative, shared_request):
        context, data = context_for(representative)
        context |= shared_context() | {"PER_VIEWER_PARTS": {}}
        return render_to_string(template, context, shared_request), data

    return SharedPage(
        kind=kind,
        depends_on=depends_on,
        parts=fillers,
        facts=facts,
        render=render_shared,
        own=own,
    ).respond(request, role=role(user))
