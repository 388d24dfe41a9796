"""The guest page cache: whole pages for visitors who are not logged in.

A hit is served from the "pages" cache alias (Redis when REDIS_URL is set, else a
folder of files on this machine) without touching the database. Each cached page
records which things it shows ("thread:12", "node:3", "index"); every write bumps the
version of what it changed, which changes the cache key of every page that shows it,
so a stale page is never served after a write that affects it (the sidebar's
latest-posts lists, which show everything, are the exception: they may lag by at
most FORUM_GUEST_CACHE_SECONDS).

Members are never served a cached page: any request with a session cookie, a
messages cookie or a non-GET method bypasses the cache, and a response that sets a
cookie or varies per visitor is never stored.

Members get shared renders instead (see "members" below): a page is rendered once
for everyone who would see the same thing, with the parts that differ per member
(the account menu, flash messages, each post's controls, the CSRF token) marked as
holes, and the holes are filled for each request.
"""

import hashlib
import hmac
import logging
import pickle
import threading
import time
from collections import OrderedDict
from functools import cache, wraps
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token

logger = logging.getLogger(__name__)
CACHE_ALIAS = "pages"
BYPASS_COOKIES = ("sessionid", "messages", "csrftoken")


def _cache():
    return caches[CACHE_ALIAS]


def _lifetime() -> int:
    return getattr(settings, "FORUM_GUEST_CACHE_SECONDS", 60)


def is_cacheable_request(request) -> bool:
    if _lifetime() <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if any(name in request.COOKIES for name in BYPASS_COOKIES):
        return False
    return not request.user.is_authenticated


# A page under a versioned key never changes, so each process keeps the pages it
# served last and skips the shared cache's read (and unpickling) on a repeat. The
# shared copy carries its expiry time, and the local copy never outlives it: the
# sidebar's lag stays bounded by the configured lifetime.
_LOCAL_LIMIT = 256
_local: OrderedDict[str, tuple[float, object]] = OrderedDict()
_local_lock = threading.Lock()


# Part of every key: a release that changes what is stored never reads what
# another release stored (both run side by side during a rolling deploy).
_FORMAT = "f3"


def _held(key: str):
    """This process's copy under `key`, if it has one that has not expired."""
    with _local_lock:
        held = _local.get(key)
        if held is not None and held[0] > time.time():
            _local.move_to_end(key)
            return held[1]
    return None


def _get(key: str):
    value = _held(key)
    if value is not None:
        return value
    try:
        stored = _cache().get(key)
        if stored is None:
            return None
        expires, value = stored
    except Exception:  # an unreadable entry, a cache server away: render afresh
        logger.warning("Page cache entry %s unreadable; rendering afresh.", key)
        return None
    _remember(key, value, expires)
    return value


def _set(key: str, value, lifetime: int) -> None:
    expires = time.time() + lifetime
    _cache().set(key, (expires, value), lifetime)
    _remember(key, value, expires)


def _remember(key: str, value, expires: float) -> None:
    with _local_lock:
        _local[key] = (expires, value)
        _local.move_to_end(key)
        while len(_local) > _LOCAL_LIMIT:
            _local.popitem(last=False)


def forget_local() -> None:
    """Drop this process's copies (tests that change settings between requests)."""
    with _local_lock:
        _local.clear()


def _versions(names: list[str], request=None) -> str:
    """The current versions of the named things; asked once per request when
    the request is given."""
    memo = request.__dict__.setdefault("_page_versions", {}) if request else {}
    wanted = tuple(names)
    if wanted not in memo:
        found = _cache().get_many([f"v:{name}" for name in names])
        memo[wanted] = ",".join(str(found.get(f"v:{name}", 0)) for name in names)
    return memo[wanted]


def versioned_row(request, names: list[str], key: str, load):
    """A database row (a model instance) as it is at the current versions of
    `names`, kept by this process for at most FORUM_MEMBER_CACHE_SECONDS, the
    lifetime of the pages that show it: every write that bumps one of those
    versions is seen at once, like on the cached pages. Each caller gets its own
    copy (unpickled), so nothing set on it leaks into another request."""
    lifetime = _member_lifetime()
    if lifetime <= 0:
        return load()
    local_key = f"row:{key}|{_versions(names, request)}"
    held = _held(local_key)
    if held is not None:
        return pickle.loads(held)  # noqa: S301 - bytes this process pickled
    row = load()
    if row is not None:
        _remember(local_key, pickle.dumps(row), time.time() + lifetime)
    return row


def invalidate(*names: str) -> None:
    """Bump the version of each named thing once the transaction commits."""

    def bump():
        cache = _cache()
        for name in names:
            key = f"v:{name}"
            # add() then incr(): atomic on Redis; versions never expire.
            if not cache.add(key, 1, timeout=None):
                try:
                    cache.incr(key)
                except ValueError:
                    cache.set(key, 1, timeout=None)

    transaction.on_commit(bump)


def guest_cached(depends_on):
    """Cache a view's page for guests. `depends_on(**view_kwargs)` names what the
    page shows, computed from the URL alone (no database)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not is_cacheable_request(request):
                return view(request, *args, **kwargs)
            names = ["site", *depends_on(**kwargs)]
            raw = f"{request.get_full_path()}|{_versions(names, request)}"
            key = f"page:{_FORMAT}:" + hashlib.sha256(raw.encode()).hexdigest()
            entry = _get(key)
            if entry is not None:
                content, content_type, hook = entry
                response = HttpResponse(content, content_type=content_type)
                response["X-Page-Cache"] = "hit"
                if hook:
                    _run_hit_hook(request, hook)
                return response
            response = view(request, *args, **kwargs)
            if _storable(response):
                hook = getattr(response, "page_cache_hook", None)
                _set(
                    key,
                    (response.content, response["Content-Type"], hook),
                    _lifetime(),
                )
                response["X-Page-Cache"] = "miss"
            return response

        return wrapped

    return decorator


def _storable(response) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
        and "Cookie" not in response.get("Vary", "")
    )


# What a cache hit must still do, by kind: a view sets `response.page_cache_hook =
# (kind, value)` and the app that knows the kind registers what to run (the threads
# app counts a thread view, outside PostgreSQL).
_hit_hooks: dict = {}


def register_hit_hook(kind: str, run) -> None:
    """`run(request, value)` on every cache hit of a page stored with this hook."""
    _hit_hooks[kind] = run


def _run_hit_hook(request, hook) -> None:
    kind, value = hook
    run = _hit_hooks.get(kind)
    if run is not None:
        run(request, value)


# --- members: one shared render, holes filled per viewer --------------------------
#
# A hole is a region of the page marked by HTML comments that carry a secret
# nonce: `<!--NONCE name arg shape-->...<!--NONCE end-->`. Nothing a member writes
# can forge one: post bodies go through bleach (no comments survive) and every
# other text is escaped (no "<"). The shared render stores the regions as its
# first viewer saw them; each request replaces each region by a filler's answer.


@cache
def _nonce() -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), b"page-holes", "sha256")
    return digest.hexdigest()[:20]


def csrf_placeholder() -> str:
    """Stands for the viewer's CSRF token in a shared render."""
    return f"csrf{_nonce()}"


def hole_open(name: str, arg="", shape="") -> str:
    return f"<!--{_nonce()} {name} {arg} {shape}-->"


def hole_close() -> str:
    return f"<!--{_nonce()} end-->"


def shared_context() -> dict:
    """Context for a render that will be shared: holes marked, no real token."""
    return {"SHARED_RENDER": True, "csrf_token": csrf_placeholder()}


class Hole(NamedTuple):
    """A part of a shared render that differs per viewer, as its first viewer
    saw it."""

    name: str
    arg: str
    shape: str
    inner: str


# In a compiled page, None marks a place of the viewer's CSRF token.
_TOKEN = None


def compile_page(html: str) -> tuple:
    """A shared render cut once into text, holes and the CSRF token's places, so
    that filling it for each viewer joins pieces instead of searching the page."""
    opening, closing, placeholder = f"<!--{_nonce()} ", hole_close(), csrf_placeholder()
    parts: list = []

    def text(chunk: str) -> None:
        for n, piece in enumerate(chunk.split(placeholder)):
            if n:
                parts.append(_TOKEN)
            if piece:
                parts.append(piece)

    at = 0
    while (start := html.find(opening, at)) >= 0:
        head_end = html.index("-->", start)
        name, arg, shape = html[start + len(opening) : head_end].split(" ")
        end = html.index(closing, head_end)
        text(html[at:start])
        parts.append(Hole(name, arg, shape, html[head_end + 3 : end]))
        at = end + len(closing)
    text(html[at:])
    return tuple(parts)


def holes(page: tuple, name: str) -> list[Hole]:
    """The holes of a compiled page with this name."""
    return [part for part in page if isinstance(part, Hole) and part.name == name]


def fill(page: tuple, request, fillers: dict) -> str:
    """The viewer's page from a compiled one: each hole replaced by
    `fillers[name](arg, shape, inner)` (its region as rendered, when no filler is
    named), and the viewer's CSRF token in its places."""
    placeholder, token = csrf_placeholder(), None
    out = []
    for part in page:
        if isinstance(part, str):
            out.append(part)
            continue
        if part is not _TOKEN:
            filler = fillers.get(part.name)
            filled = part.inner if filler is None else filler(*part[1:])
            if placeholder not in filled:
                out.append(filled)
                continue
        if token is None:
            token = get_token(request)
        out.append(token if part is _TOKEN else filled.replace(placeholder, token))
    return "".join(out)


def _member_lifetime() -> int:
    return getattr(settings, "FORUM_MEMBER_CACHE_SECONDS", 60)


_PER_VIEWER = "per-viewer"


def member_render(
    request, depends_on: list[str], variant: str, render
) -> tuple[tuple | None, bool, str]:
    """The shared render of this page for members who see the same thing
    (`variant` says who they are: role, theme, which posts...), compiled for
    `fill`; made by `render()` (which must render with `shared_context()`) when
    not held.

    `render()` answers None for a page that differs per viewer in a way no hole
    covers; that answer is remembered too, and None tells the caller to render
    the page for this viewer alone. Also answers whether it was held, and its key
    (for `fragment`)."""
    lifetime = _member_lifetime()
    if lifetime <= 0:
        html = render()
        return (None if html is None else compile_page(html)), False, ""
    names = ["site", *depends_on]
    raw = f"{request.get_full_path()}|{_versions(names, request)}|{variant}"
    key = f"member-page:{_FORMAT}:" + hashlib.sha256(raw.encode()).hexdigest()
    page = _get(key)
    held = page is not None
    if not held:
        html = render()
        page = _PER_VIEWER if html is None else compile_page(html)
        _set(key, page, lifetime)
    return (None if page == _PER_VIEWER else page), held, key


def fragment_get(page_key: str, name: str) -> str | None:
    """A hole's filling kept by `fragment_set` for the shared render `page_key`."""
    return _held(f"{page_key}|{name}") if page_key else None


def fragment_set(page_key: str, name: str, html: str) -> None:
    """Keep a hole's filling that is the same for every viewer who needs it (what
    `name` stands for must say so) while the shared render `page_key` lives, in
    this process."""
    if page_key:
        _remember(f"{page_key}|{name}", html, time.time() + _member_lifetime())
