"""The page cache: whole pages for guests, and the store shared renders live in.

Guests (no session, messages or CSRF cookie) get whole pages from the "pages"
cache alias (Redis when REDIS_URL is set, else files on this machine), without
touching the database. Each page's key holds the versions of what it shows
("thread:12", "node:3", "index"; forum/core/versions.py); every write bumps the
versions of what it changed (`invalidate`), which changes the key of every page
that shows it, so a stale page is never served after a write that affects it (the
sidebar's latest-posts lists, which show everything, are the exception: they may
lag by at most FORUM_GUEST_CACHE_SECONDS).

Whether a page may be stored for other guests is decided from the final response,
after every middleware has run (`GuestCacheMiddleware`, the outermost one), as
Django's own cache middleware does: a response that sets a cookie (a session, a
CSRF token, messages), changed the session, used a CSRF token, or varies on
anything but the cookies the cache already keys on is never stored.

Members get shared renders instead (forum/core/perviewer.py), stored here too.
"""

import hashlib
import logging
import pickle
import threading
import time
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import cc_delim_re

from forum.core import versions

logger = logging.getLogger(__name__)
CACHE_ALIAS = "pages"
BYPASS_COOKIES = ("sessionid", "messages", "csrftoken")
# Part of every key: a release that changes what is stored never reads what
# another release stored (both run side by side during a rolling deploy).
_FORMAT = "f4"


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


# --- this process's copies ----------------------------------------------------------
#
# A page under a versioned key never changes, so each process keeps the pages it
# served last and skips the shared cache's read (and unpickling) on a repeat. The
# shared copy carries its expiry time, and the local copy never outlives it.

_LOCAL_LIMIT = 256
_local: OrderedDict[str, tuple[float, object]] = OrderedDict()
_local_lock = threading.Lock()


def _held(key: str):
    with _local_lock:
        held = _local.get(key)
        if held is not None and held[0] > time.time():
            _local.move_to_end(key)
            return held[1]
    return None


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


def get(key: str):
    """What `put` stored under the key, if it is still there; None otherwise
    (also for an entry this release cannot read: it is rendered afresh)."""
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


def put(key: str, value, lifetime: int) -> None:
    expires = time.time() + lifetime
    _cache().set(key, (expires, value), lifetime)
    _remember(key, value, expires)


def versioned_row(request, names: list[str], key: str, load):
    """A database row (a model instance) as it is at the current versions of
    `names`, kept by this process for at most FORUM_MEMBER_CACHE_SECONDS, the
    lifetime of the pages that show it: every write that bumps one of those
    versions is seen at once, like on the cached pages. Each caller gets its own
    copy (unpickled), so nothing set on it leaks into another request."""
    lifetime = getattr(settings, "FORUM_MEMBER_CACHE_SECONDS", 60)
    if lifetime <= 0:
        return load()
    local_key = f"row:{key}|{versions.for_request(request, names)}"
    held = _held(local_key)
    if held is not None:
        return pickle.loads(held)  # noqa: S301 - bytes this process pickled
    row = load()
    if row is not None:
        _remember(local_key, pickle.dumps(row), time.time() + lifetime)
    return row


def invalidate(*names: str) -> None:
    """Bump the version of each named thing once the transaction commits."""
    versions.bump_on_commit(*names)


# --- guests -------------------------------------------------------------------------


def guest_cached(depends_on):
    """Cache a view's page for guests. `depends_on(**view_kwargs)` names what the
    page shows, computed from the URL alone (no database). A hit is answered
    here; whether a miss is stored is decided by GuestCacheMiddleware."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not is_cacheable_request(request):
                return view(request, *args, **kwargs)
            names = ["site", *depends_on(**kwargs)]
            raw = "|".join(
                [
                    request.scheme,
                    request.get_host(),
                    request.get_full_path(),
                    versions.for_request(request, names),
                ]
            )
            key = f"page:{_FORMAT}:" + hashlib.sha256(raw.encode()).hexdigest()
            entry = get(key)
            if entry is not None:
                content, content_type, hook = entry
                response = HttpResponse(content, content_type=content_type)
                response["X-Page-Cache"] = "hit"
                if hook:
                    _run_hit_hook(request, hook)
                return response
            response = view(request, *args, **kwargs)
            response._guest_cache_key = key
            return response

        return wrapped

    return decorator


def storable(request, response) -> bool:
    """Whether a guest's page may be served to other guests, judged on the final
    response: nothing about this visitor in it or around it."""
    if response.status_code != 200 or getattr(response, "streaming", False):
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or "CSRF_COOKIE" in request.META:
        return False  # a CSRF token was put in the page
    # Every page varies on the session cookie (who is signed in), and the cache
    # only ever serves and stores visitors who carry none of the cookies a page
    # depends on (is_cacheable_request): among them, Vary: Cookie changes nothing.
    # Anything else a response varies on is not in the key: never stored.
    varies = {
        v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v
    }
    if varies - {"cookie", "accept-encoding"}:
        return False
    if request.session.modified if hasattr(request, "session") else False:
        return False  # the visitor now has a session: not a guest page any more
    return "private" not in response.get("Cache-Control", "")


class GuestCacheMiddleware:
    """The outermost middleware: stores a guest page that a `guest_cached` view
    marked, once every other middleware has had its say about the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(response, "_guest_cache_key", None)
        if key is None:
            return response
        if storable(request, response):
            hook = getattr(response, "page_cache_hook", None)
            # A page read from a replica may lag its versions: kept briefly
            # (forum/core/replica.py).
            lifetime = min(_lifetime(), getattr(response, "page_cache_lifetime", 1e9))
            put(key, (response.content, response["Content-Type"], hook), int(lifetime))
            response["X-Page-Cache"] = "miss"
        else:
            response["X-Page-Cache"] = "not-stored"
        return response


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
