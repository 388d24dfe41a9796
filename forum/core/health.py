"""Is this process able to serve? `/-/health` for load balancers and container
health checks, `manage.py health` for processes without HTTP (the worker).

Healthy means the two things every page needs answer: the database (one
`SELECT 1` on the primary) and the shared cache (a write and a read back, on
each cache alias: rate limits, sessions' neighbours and the page cache live
there). The answer is small JSON, never cached, and names no software or
address: only "ok" or "failing" per check.
"""

import logging
import secrets
import time

from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 answered something else")


def _cache() -> None:
    token = secrets.token_hex(8)
    for alias in ("default", "pages"):
        cache = caches[alias]
        cache.set("health:probe", token, 30)
        if cache.get("health:probe") != token:
            raise RuntimeError(f"cache {alias!r} did not keep what was written")


CHECKS = {"database": _database, "cache": _cache}


def run_checks() -> dict[str, str]:
    """{"database": "ok" | "failing", "cache": ...}; failures are logged with
    their cause (the response itself says nothing about it)."""
    results = {}
    for name, check in CHECKS.items():
        began = time.monotonic()
        try:
            check()
        except Exception:
            logger.exception("Health check %s failed", name)
            results[name] = "failing"
        else:
            results[name] = "ok"
        took = time.monotonic() - began
        if took > 1:
            logger.warning("Health check %s took %.1f s", name, took)
    return results


class HealthMiddleware:
    """The first middleware: answers /-/health before anything checks the Host
    header or redirects to HTTPS, so a container's or load balancer's probe of
    http://127.0.0.1:8000/-/health works whatever ALLOWED_HOSTS says."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/-/health" and request.method in ("GET", "HEAD"):
            return health(request)
        return self.get_response(request)


@never_cache
def health(request):
    results = run_checks()
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", **results},
        status=200 if healthy else 503,
    )
