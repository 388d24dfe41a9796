"""Thread view counts, gathered outside PostgreSQL and written in batches.

Reading a page must not write to the database. Each view is de-duplicated per visitor
in the "pages" cache (Redis or local files) and counted in this process's memory; the
counts are flushed with one UPDATE when enough have gathered or enough time has
passed, at process exit, and by `flush_view_counts()` (the periodic task and tests).
A crash loses at most one batch of view counts, which is the trade XenForo makes too.
"""

import atexit
import threading
import time
from collections import Counter

from django.conf import settings
from django.core.cache import caches
from django.db import connection

_lock = threading.Lock()
_pending: Counter = Counter()
_last_flush = time.monotonic()


def record_view(thread_id: int, visitor: str) -> bool:
    """Count one view unless this visitor viewed the thread within the window."""
    window = settings.FORUM_VIEW_DEDUPE_SECONDS
    if not caches["pages"].add(f"tv:{thread_id}:{visitor}", 1, timeout=window):
        return False
    global _last_flush
    with _lock:
        _pending[thread_id] += 1
        due = sum(_pending.values()) >= getattr(
            settings, "FORUM_VIEW_FLUSH_COUNT", 200
        ) or time.monotonic() - _last_flush >= getattr(
            settings, "FORUM_VIEW_FLUSH_SECONDS", 60
        )
    if due:
        flush_view_counts()
    return True


def pending_views(thread_id: int) -> int:
    with _lock:
        return _pending.get(thread_id, 0)


def flush_view_counts() -> int:
    """Write the gathered counts in one statement; returns how many views."""
    global _last_flush
    with _lock:
        batch = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    if not batch:
        return 0
    rows = ",".join(["(%s, %s)"] * len(batch))
    params = [value for item in batch.items() for value in item]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE threads_thread t SET view_count = t.view_count + v.n "
            f"FROM (VALUES {rows}) AS v(id, n) WHERE t.id = v.id",
            params,
        )
    return sum(batch.values())


def _flush_at_exit():
    try:
        flush_view_counts()
    except Exception:  # the database may already be gone at interpreter exit
        pass


atexit.register(_flush_at_exit)
