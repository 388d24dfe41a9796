"""Per-viewer pages from shared renders: render once for everyone who sees the same
thing, fill in what differs per viewer on each request, and never show one viewer
what was made for another.

The model, in five rules:

1. A shared render is made for a *representative* viewer, not for whoever came
   first: a member of a role (`Representative("member")`) with no identity, on a
   copy of the request without cookies, session or messages. Whatever the page
   shows of "who is looking" must therefore come from a declared part: asking
   the representative for anything personal (a name, an avatar, a time zone)
   raises `UndeclaredPart`, and the page is rendered for the viewer alone instead
   (in tests and under DEBUG, the error is raised: settings.FORUM_STRICT_PARTS).
2. A page declares its per-viewer parts in one place (`SharedPage.parts`), and its
   templates mark them: `{% part "name" arg %}...{% endpart %}` for a region drawn
   per viewer, `{% wrap "name" arg %}...{% endwrap %}` for a region every viewer
   sees but one may see differently (a post by someone they ignore, collapsed).
   `{% state "name" arg as flag %}...{% endstate %}` for a region that reads one
   of two ways (a thread unread or read): the shared render holds both, the
   filler says which one the viewer gets. Times (`{% time_tag %}`), the CSRF
   token and the theme are parts the model fills itself. In a shared render
   each part becomes a slot holding what the representative would see (or
   nothing, when the representative cannot draw it, like the account menu); the
   slot is filled for every viewer by the page's filler for that name. A slot
   whose name has no filler, or a filler that answers None, means the viewer
   gets a page rendered for them alone: the model fails closed.
3. The shared render is keyed only by what it shows: the page kind, the host and
   the URL, the versions of what it shows (forum.core.versions), its variant (the
   representative's role) and this release's format.
4. A viewer whose page-level facts differ from the representative's (a moderator,
   a banned member, a member with their own post awaiting approval on the page:
   `SharedPage.facts`) gets a page rendered for them alone.
5. Rendered alone, a page goes through the same fillers for its wrapped regions
   and the same time formatting, so a filled shared render and a page rendered
   for the viewer alone are the same bytes (tests/core/test_shared_renders.py
   holds every shared page to that, for every kind of viewer).

A view:

    page = SharedPage(
        kind="thread",
        depends_on=["site", f"thread:{pk}"],
        parts={"nav": ..., "messages": ..., "post": controls_for_viewer},
        facts=lambda viewer: (can_reply(viewer, thread), ...),
        render=lambda viewer, request: render_to_string(...),   # None: never share
        own=lambda: render(request, ...),
    )
    return page.respond(request, role="member")
"""

import hashlib
import hmac
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import NamedTuple

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from forum.core import pagecache, timefmt, versions

logger = logging.getLogger(__name__)

FORMAT = "s1"  # part of every key: a release never reads another's renders


class UndeclaredPart(Exception):
    """A shared render asked who is looking outside a declared part."""


class CannotFill(Exception):
    """A slot of a shared render could not be filled for this viewer."""


class Representative:
    """The viewer a shared render is made for: signed in, of a role ("member":
    confirmed e-mail; "unverified"), moderating nothing, banned from nothing, and
    nobody in particular. The policy questions read the role; anything else
    raises UndeclaredPart."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    is_deleted_member = False
    pk = id = 0  # no row has it: "is this your post?" is always no
    ignored_members = ()  # nobody in particular ignores nobody: a part says

    def __init__(self, role: str):
        self.role = role
        self._forum_email_verified = role == "member"
        self._forum_policy = None
        self._forum_policy_at = None

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise UndeclaredPart(f"the viewer's {name!r} was asked outside a part")

    def __str__(self):
        raise UndeclaredPart("the viewer's name was asked outside a part")


def is_representative(user) -> bool:
    return isinstance(user, Representative)


# --- markers ----------------------------------------------------------------------
#
# HTML comments carrying a secret nonce mark slots in a shared render; nothing a
# member writes can forge one (post bodies go through bleach, which drops
# comments; every other text is escaped). Values that sit inside attributes (the
# CSRF token, the theme) are plain words with the nonce, which escaping leaves
# alone.


@cache
def _nonce() -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), b"per-viewer-parts", "sha256")
    return digest.hexdigest()[:20]


def value_marker(name: str) -> str:
    return f"pv{_nonce()}{name}z"


def part_open(name: str, arg, has_default: bool) -> str:
    return f"<!--{_nonce()} p {name} {arg} {int(has_default)}-->"


def wrap_open(name: str, arg) -> str:
    return f"<!--{_nonce()} w {name} {arg} 1-->"


def state_open(name: str, arg) -> str:
    return f"<!--{_nonce()} s {name} {arg} 1-->"


def state_option(value: bool) -> str:
    return f"<!--{_nonce()} o {int(bool(value))}-->"


def part_close() -> str:
    return f"<!--{_nonce()} /-->"


def time_marker(value: datetime, style: str) -> str:
    return f"<!--{_nonce()} t {timefmt.iso_utc(value)} {style}-->"


class Value(NamedTuple):
    name: str


class Time(NamedTuple):
    at: datetime
    style: str


class Slot(NamedTuple):
    # "p": drawn per viewer; "w": a region a viewer may see otherwise; "s": a
    # region with two ways to read (default: ((False, items), (True, items)))
    kind: str
    name: str
    arg: str
    default: tuple | None  # what the representative saw (compiled), if anything


def compile_page(html: str) -> tuple:
    """A shared render cut once into text and slots, so that filling it for each
    viewer joins pieces instead of searching the page."""
    nonce = _nonce()
    token = re.compile(
        rf"<!--{nonce} (?:(?P<kind>[pws]) (?P<name>[\w.-]+) (?P<arg>[\w.-]*) "
        rf"(?P<has>[01])|t (?P<at>\S+) (?P<style>\w+)|o (?P<option>[01])"
        rf"|(?P<close>/))-->"
        rf"|pv{nonce}(?P<value>[a-z]+)z"
    )
    stack: list[tuple[tuple | None, list]] = [(None, [])]
    at = 0
    for match in token.finditer(html):
        if match.start() > at:
            stack[-1][1].append(html[at : match.start()])
        at = match.end()
        if match["value"]:
            stack[-1][1].append(Value(match["value"]))
        elif match["at"]:
            stack[-1][1].append(
                Time(datetime.fromisoformat(match["at"]), match["style"])
            )
        elif match["option"]:  # the next way a state part reads
            stack[-1][1].append(("option", match["option"] == "1"))
        elif match["close"]:
            head, items = stack.pop()
            kind, name, arg, has = head
            if kind == "s":
                stack[-1][1].append(Slot(kind, name, arg, _options(items)))
            else:
                stack[-1][1].append(
                    Slot(kind, name, arg, tuple(items) if has else None)
                )
        else:
            head = (match["kind"], match["name"], match["arg"], match["has"] == "1")
            stack.append((head, []))
    if at < len(html):
        stack[-1][1].append(html[at:])
    if len(stack) != 1:
        raise ValueError("a shared render with an unclosed part")
    return tuple(stack[0][1])


def _options(items: list) -> tuple:
    options: list[tuple[bool, list]] = []
    for item in items:
        if isinstance(item, tuple) and len(item) == 2 and item[0] == "option":
            options.append((item[1], []))
        elif options:
            options[-1][1].append(item)
    return tuple((value, tuple(parts)) for value, parts in options)


# --- filling ----------------------------------------------------------------------


@dataclass
class Viewer:
    """What filling a page for one request needs."""

    request: object
    parts: dict[str, Callable]
    zone: object = None
    at: datetime = None
    _token: str | None = None

    def value(self, name: str) -> str:
        if name == "csrf":
            if self._token is None:
                self._token = get_token(self.request)
            return self._token
        filler = self.parts.get(name)
        if filler is None:
            raise CannotFill(f"no filler for the value {name!r}")
        found = filler("", None)
        if found is None:
            raise CannotFill(f"the value {name!r} could not be filled")
        return found


def fill(items: tuple, viewer: Viewer) -> str:
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, Time):
            out.append(timefmt.element(item.at, item.style, viewer.zone, viewer.at))
        elif isinstance(item, Value):
            out.append(viewer.value(item.name))
        else:
            filler = viewer.parts.get(item.name)
            if filler is None:
                raise CannotFill(f"no filler for the part {item.name!r}")
            if item.kind == "s":
                state = filler(item.arg, None)
                chosen = dict(item.default).get(state) if state is not None else None
                if chosen is None:
                    raise CannotFill(f"the state {item.name!r} {item.arg} is unknown")
                out.append(fill(chosen, viewer))
                continue
            inner = None if item.default is None else fill(item.default, viewer)
            found = filler(item.arg, inner)
            if found is None:
                raise CannotFill(f"the part {item.name!r} {item.arg} was not filled")
            csrf = value_marker("csrf")
            if csrf in found:  # a part with a form: the page's one token
                found = found.replace(csrf, viewer.value("csrf"))
            out.append(found)
    return "".join(out)


def strict() -> bool:
    return getattr(settings, "FORUM_STRICT_PARTS", False)


def _lifetime() -> int:
    return getattr(settings, "FORUM_MEMBER_CACHE_SECONDS", 60)


def shared_request(request, viewer: Representative):
    """A copy of the request as the representative would send it: the same
    address, no cookies, no session, no messages."""
    import copy

    keep = (
        "HTTP_HOST",
        "SERVER_NAME",
        "SERVER_PORT",
        "QUERY_STRING",
        "PATH_INFO",
        "SCRIPT_NAME",
        "REQUEST_METHOD",
        "wsgi.url_scheme",
        "HTTP_X_FORWARDED_PROTO",
        "HTTP_X_FORWARDED_HOST",
    )
    shared = copy.copy(request)
    shared.META = {k: request.META[k] for k in keep if k in request.META}
    shared.COOKIES = {}
    shared.user = viewer
    shared._messages = []
    shared.session = None
    shared.shared_render = True
    return shared


_PER_VIEWER = "per-viewer"  # remembered answer: this page is never shared


@dataclass
class SharedPage:
    kind: str
    depends_on: list[str]
    # The fillers, or a function of the shared render's data that makes them
    # (parts that need what the render showed: the threads on a forum page).
    parts: dict[str, Callable] | Callable
    # (representative, shared request) -> html, or (html, data), or None (this
    # page is never shared). `data` is kept with the render for `accepts`.
    render: Callable
    own: Callable  # () -> the response rendered for the viewer alone
    facts: Callable = lambda viewer: ()  # page-level facts that must match
    accepts: Callable = lambda data: True  # (data) -> whether this viewer may have it
    headers: dict = field(default_factory=dict)

    def key(self, request, role: str) -> str:
        names = ["site", *self.depends_on]
        raw = "|".join(
            [
                FORMAT,
                self.kind,
                request.scheme,
                request.get_host(),
                request.get_full_path(),
                versions.for_request(request, names),
                role,
            ]
        )
        return "shared:" + hashlib.sha256(raw.encode()).hexdigest()

    def respond(self, request, *, role: str) -> HttpResponse:
        """The viewer's page: from the shared render when they may have it, else
        rendered for them alone."""
        if _lifetime() <= 0:
            return self.own()
        representative = Representative(role)
        if self.facts(request.user) != self.facts(representative):
            return self.own()
        key = self.key(request, role)
        page = pagecache.get(key)
        held = page is not None
        if not held:
            page = self._make(request, representative)
            pagecache.put(key, page, _lifetime())
        if page == _PER_VIEWER:
            return self.own()
        compiled, data = page
        if not self.accepts(data):
            return self.own()
        viewer = Viewer(
            request=request,
            parts=self.parts(data) if callable(self.parts) else self.parts,
            zone=timezone.get_current_timezone(),
            at=timefmt.now(),
        )
        try:
            html = fill(compiled, viewer)
        except CannotFill as refusal:
            if strict():
                raise
            logger.info("Rendering %s for the viewer alone: %s", self.kind, refusal)
            return self.own()
        response = HttpResponse(html)
        response["X-Page-Cache"] = "member-hit" if held else "member-miss"
        for name, value in self.headers.items():
            response[name] = value
        return response

    def _make(self, request, representative):
        shared = shared_request(request, representative)
        # Times are slots: the zone active while rendering must not matter.
        with timezone.override(settings.TIME_ZONE):
            try:
                html = self.render(representative, shared)
            except UndeclaredPart:
                if strict():
                    raise
                logger.warning("%s asks who is looking outside a part", self.kind)
                return _PER_VIEWER
        if html is None:
            return _PER_VIEWER
        html, data = html if isinstance(html, tuple) else (html, None)
        return compile_page(html), data


def shared_context() -> dict:
    """What a shared render's template context carries besides the page's own:
    the markers for the CSRF token and the theme."""
    return {
        "SHARED_RENDER": True,
        "csrf_token": value_marker("csrf"),
        "THEME": value_marker("theme"),
    }
