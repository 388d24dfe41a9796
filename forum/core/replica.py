"""Reads that may be a little stale go to a read replica, when there is one.

settings.FORUM_READ_REPLICA names the replica's alias ("replica" when
REPLICA_DATABASE_URL is set, else "": everything on the primary). Only views
that declare it, with `@reads_may_lag`, read from it: search, feeds, sitemaps
and What's new for guests, whose readers cannot tell a page a second old from a
fresh one. Everything else, and every write, uses the primary.

Read-your-own-writes: a response to a write (any POST, PUT, PATCH or DELETE)
sets a short cookie (`forum_primary`, FORUM_REPLICA_PIN_SECONDS, 5) while a
replica is configured; a request carrying it reads from the primary even in
those views, so a member who just posted finds their post in search. Reads
inside a transaction stay on the primary too.
"""

from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import connections

PIN_COOKIE = "forum_primary"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
_may_lag: ContextVar[bool] = ContextVar("reads_may_lag", default=False)


def replica_alias() -> str:
    """The configured replica's alias, or "" (none)."""
    alias = getattr(settings, "FORUM_READ_REPLICA", "")
    return alias if alias and alias in connections.databases else ""


def pinned(request) -> bool:
    """Whether this visitor wrote a moment ago (their reads stay on the primary)."""
    return PIN_COOKIE in request.COOKIES


# Rows that must never be read stale: the database cache (rate limit counts)
# and sessions.
_PRIMARY_ONLY = {"django_cache", "sessions"}


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _may_lag.get() or model._meta.app_label in _PRIMARY_ONLY:
            return None
        alias = replica_alias()
        if not alias or connections["default"].in_atomic_block:
            return None
        return alias

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


def reads_may_lag(view=None, *, guests_only: bool = False):
    """A view whose reads may come from the replica (for guests only, with
    `guests_only`), unless the visitor just wrote. Who is looking is read
    first, from the primary."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if (
                not replica_alias()
                or pinned(request)
                # Who is looking (session, member) comes from the primary.
                or (request.user.is_authenticated and guests_only)
            ):
                return view(request, *args, **kwargs)
            token = _may_lag.set(True)
            try:
                response = view(request, *args, **kwargs)
                # The page may be older than the versions it would be cached
                # under (forum/core/pagecache.py): kept only for a moment.
                response.page_cache_lifetime = getattr(
                    settings, "FORUM_REPLICA_PIN_SECONDS", 5
                )
                # A lazily rendered page reads now, still from the replica.
                if hasattr(response, "render") and not getattr(
                    response, "is_rendered", True
                ):
                    response.render()
                return response
            finally:
                _may_lag.reset(token)

        return wrapped

    return decorator(view) if view is not None else decorator


class PrimaryAfterWriteMiddleware:
    """Pins a visitor who wrote to the primary for a few seconds (see above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in _SAFE_METHODS and replica_alias():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=getattr(settings, "FORUM_REPLICA_PIN_SECONDS", 5),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
