"""Thread view counts, gathered outside PostgreSQL and written in batches.

Reading a page must not write to the database. Each view is de-duplicated per visitor
in the "pages" cache (Redis or local files) and counted in this process's memory; a
background thread of the process writes the counts with one UPDATE every
FORUM_VIEW_FLUSH_SECONDS (60 by default), never a request. What is left is written at
process exit, and `flush_view_counts()` writes at once (tests, the shell). A crash
loses at most one interval of view counts, which is the trade XenForo makes too.
"""

import atexit
import logging
import threading
import time
from collections import Counter, OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.db import connection

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_pending: Counter = Counter()


# The views this process counted, until their window ends: a visitor paging
# through a thread is known here without asking the shared cache again.
_SEEN_LIMIT = 10_000
_seen: OrderedDict[str, float] = OrderedDict()


def record_view(thread_id: int, visitor: str) -> bool:
    """Count one view unless this visitor viewed the thread within the window."""
    window = settings.FORUM_VIEW_DEDUPE_SECONDS
    key = f"tv:{thread_id}:{visitor}"
    now = time.monotonic()
    with _lock:
        until = _seen.get(key)
        if until is not None and until > now:
            return False
    if not caches["pages"].add(key, 1, timeout=window):
        return False
    with _lock:
        _pending[thread_id] += 1
        _seen[key] = now + window
        _seen.move_to_end(key)
        while len(_seen) > _SEEN_LIMIT:
            _seen.popitem(last=False)
    _ensure_flusher()
    return True


_flusher: threading.Thread | None = None


def _ensure_flusher() -> None:
    """Start this process's flushing thread on its first counted view (after a
    pre-forking server has forked: a thread does not survive a fork)."""
    global _flusher
    if _flusher is not None and _flusher.is_alive() or _interval() <= 0:
        return
    with _lock:
        if _flusher is not None and _flusher.is_alive():
            return
        _flusher = threading.Thread(
            target=_flush_forever, name="view-count-flusher", daemon=True
        )
        _flusher.start()


def _interval() -> float:
    return getattr(settings, "FORUM_VIEW_FLUSH_SECONDS", 60)


def _flush_forever() -> None:
    while True:
        time.sleep(max(_interval(), 1))
        flush_in_background()


def flush_in_background() -> int:
    """One round of the flushing thread: write, then give back the thread's own
    database connection. A failure keeps nothing back: the counts go back into
    the buffer for the next round."""
    try:
        return flush_view_counts()
    except Exception:
        logger.exception("Could not write thread view counts; retrying later.")
        return 0
    finally:
        connection.close()


def pending_views(thread_id: int) -> int:
    with _lock:
        return _pending.get(thread_id, 0)


def flush_view_counts() -> int:
    """Write the gathered counts in one statement; returns how many views. On a
    database error the counts are put back for the next try."""
    with _lock:
        batch = dict(_pending)
        _pending.clear()
    if not batch:
        return 0
    rows = ",".join(["(%s, %s)"] * len(batch))
    params = [value for item in batch.items() for value in item]
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE threads_thread t SET view_count = t.view_count + v.n "
                f"FROM (VALUES {rows}) AS v(id, n) WHERE t.id = v.id",
                params,
            )
    except Exception:
        with _lock:
            _pending.update(batch)
        raise
    return sum(batch.values())


def _flush_at_exit():
    try:
        flush_view_counts()
    except Exception:  # the database may already be gone at interpreter exit
        pass


atexit.register(_flush_at_exit)
