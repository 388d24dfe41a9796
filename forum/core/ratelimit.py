"""One rate limiter for every limited action.

Each action has a budget in settings.FORUM_RATE_LIMITS: `"react": (30, 60)` is at
most 30 reactions per 60 seconds for one member (or one address, for guests).
Counts live in the shared cache ("default"), so every web process and machine
counts together; a window starts at a multiple of its length (a fixed window:
cheap, and a burst can at worst reach twice the budget across a boundary, which
a soft limit can afford).

    ratelimit.check("search", key=ratelimit.who(request), noun="searches")

raises RateLimited, whose message is the one the member sees, in one style:
"Too many searches: at most 20 a minute. Please wait a moment and try again."
RATE_LIMITS=0 in the environment switches every limit off (benchmarks), allauth's
login and sign-up limits included (forum/settings.py).
"""

import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from forum.core.http import client_ip


class RateLimited(Exception):
    """str() is the message for the member; `retry_after` is in seconds."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def _now() -> float:
    return time.time()  # a seam for tests that must not cross a window's end


def who(request) -> str:
    """The key a request counts under: the member, else the client address."""
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    return f"ip{client_ip(request)}"


def budget(action: str) -> tuple[int, int] | None:
    """(count, seconds) for the action, or None when it is not limited."""
    if not getattr(settings, "FORUM_RATE_LIMITS_ENABLED", True):
        return None
    found = getattr(settings, "FORUM_RATE_LIMITS", {}).get(action)
    if not found or found[0] <= 0:
        return None
    return int(found[0]), int(found[1])


def _period(seconds: int) -> str:
    for length, word in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds == length:
            return f"a {word}" if word != "hour" else "an hour"
        if seconds % length == 0:
            return f"per {seconds // length} {word}s"
    return f"per {seconds} seconds"


def message(noun: str, count: int, seconds: int) -> str:
    return (
        f"Too many {noun}: at most {count} {_period(seconds)}. "
        "Please wait a moment and try again."
    )


def _count(cache_key: str, *, timeout: int) -> int:
    """One more use under the key; the uses so far. Atomic on Redis (add, then
    incr); elsewhere (the database cache of a single machine) a read and a write,
    half the round trips, where two racing requests may count once: a soft limit
    can afford it."""
    if isinstance(caches["default"], RedisCache):
        if cache.add(cache_key, 1, timeout=timeout):
            return 1
        try:
            return cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, timeout=timeout)
            return 1
    used = cache.get(cache_key, 0) + 1
    cache.set(cache_key, used, timeout=timeout)
    return used


def _window(action: str, key: str, seconds: int) -> tuple[str, int]:
    """The cache key of the current window, and the seconds left in it."""
    now = _now()
    window = int(now // seconds)
    left = max(1, int((window + 1) * seconds - now))
    return f"rate:{action}:{key}:{window}", left


def hit(action: str, *, key: str) -> tuple[int, int, int] | None:
    """Count one use of the action by `key`: (uses in this window, budget,
    seconds left in it), or None when the action is not limited."""
    found = budget(action)
    if found is None:
        return None
    count, seconds = found
    cache_key, left = _window(action, key, seconds)
    used = _count(cache_key, timeout=seconds + 5)
    return used, count, left


def peek(action: str, *, key: str) -> tuple[int, int, int] | None:
    """Like hit(), counting nothing: for limits on failures, which are looked
    at before the attempt and counted only when it fails."""
    found = budget(action)
    if found is None:
        return None
    count, seconds = found
    cache_key, left = _window(action, key, seconds)
    return cache.get(cache_key, 0), count, left


def clear(action: str, *, key: str) -> None:
    """Forget the uses of this window (a success that proves the failures were
    the owner's own)."""
    found = budget(action)
    if found is not None:
        cache.delete(_window(action, key, found[1])[0])


def check(action: str, *, key: str, noun: str) -> None:
    """Count one use; raise RateLimited once the budget for this window is
    spent (the refused attempt counts too, so hammering does not help)."""
    found = hit(action, key=key)
    if found is None:
        return
    used, count, left = found
    if used > count:
        seconds = budget(action)[1]
        raise RateLimited(message(noun, count, seconds), retry_after=left)
