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
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse

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


def _versions(names: list[str]) -> str:
    found = _cache().get_many([f"v:{name}" for name in names])
    return ",".join(str(found.get(f"v:{name}", 0)) for name in names)


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
            raw = f"{request.get_full_path()}|{_versions(names)}"
            key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
            entry = _cache().get(key)
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
                _cache().set(
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


def _run_hit_hook(request, hook) -> None:
    """What a cache hit must still do: count the thread view (outside PostgreSQL)."""
    kind, value = hook
    if kind == "thread-view":
        from forum.core.http import visitor_key
        from forum.core.viewcounts import record_view

        record_view(value, visitor_key(request))
