"""`make run`: the embedded PostgreSQL (as its owner), migrations, the demo board,
the background worker and the development server, started in that order; Ctrl-C
stops the server and the worker, then the database, and exits 0 (make, which gets
the same SIGINT, then ends with it: status 130, and nothing printed).

Usage: python -m forum.core.devserver [--host 127.0.0.1] [--port 8000]

Each step runs in a session of its own, so a Ctrl-C reaches this supervisor, not
the steps, and it stops them in order (a migration cut by the terminal's SIGINT
would print a traceback). On Linux a step also gets SIGTERM if the supervisor is
killed, so no development server outlives it holding the port.
"""

import argparse
import os
import signal
import subprocess
import sys
import time

from forum.core import database
from forum.core import embedded_postgres as pg

BASE_DIR = database.BASE_DIR
GRACE_SECONDS = 10  # for the server and the worker to exit before SIGKILL
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stop:
    """Records a stop request (Ctrl-C, SIGTERM, a hang-up) instead of raising."""

    def __init__(self):
        self.count = 0
        for sig in STOP_SIGNALS:
            signal.signal(sig, self._handle)

    def _handle(self, signum, frame):
        self.count += 1

    @property
    def requested(self) -> bool:
        return self.count > 0


class Step:
    def __init__(self, name: str, args: list[str], stop_signal=signal.SIGTERM):
        self.name = name
        self.stop_signal = stop_signal
        # The folder this supervisor holds, whatever directory it was started in.
        env = dict(os.environ, FORUM_PGDATA=str(database.embedded_data_dir()))
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_exit_with_parent,
        )

    def signal(self, sig) -> None:
        try:
            os.killpg(self.process.pid, sig)  # runserver's reloader and its child
        except ProcessLookupError:
            pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m forum.core.devserver")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args(argv)
    stop = Stop()
    try:
        with database.serving():
            code = _run(args, stop)
    except pg.DatabaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not os.environ.get("DATABASE_URL"):
        data_dir = database.embedded_data_dir()
        if database.status(data_dir).running:
            print(
                f"PostgreSQL on {data_dir} was running before (or is held by another "
                "owner) and is left running; python -m forum.core.database stop "
                "stops it."
            )
    return code


def _run(args, stop: Stop) -> int:
    for name, command in (
        ("migrate", ["migrate", "--noinput"]),
        ("load_demo", ["load_demo"]),
    ):
        if stop.requested:
            return 0
        code = _wait([Step(name, command)], stop)
        if stop.requested:
            return 0
        if code:
            return code
    print(
        f"Serving the forum on http://{args.host}:{args.port}/ "
        "(Ctrl-C stops the server, its worker and the database)",
        flush=True,
    )
    steps = [
        Step("db_worker", ["db_worker", "--interval", "1"]),
        # SIGINT: runserver's reloader and its child both exit quietly on it.
        Step("runserver", ["runserver", f"{args.host}:{args.port}"], signal.SIGINT),
    ]
    code = _wait(steps, stop, until_first_exit=True)
    return 0 if stop.requested else (code or 1)


def _wait(steps: list[Step], stop: Stop, until_first_exit: bool = False) -> int:
    """Until every step (or, with until_first_exit, any step) exits, or a stop is
    requested; then stop those still running. The exit code of a failed step."""
    try:
        while not stop.requested:
            codes = [step.process.poll() for step in steps]
            if None not in codes:
                return next((code for code in codes if code), 0)
            if until_first_exit:
                for step, code in zip(steps, codes, strict=True):
                    if code is not None:
                        print(f"{step.name} exited ({code}).", file=sys.stderr)
                        return code
            time.sleep(0.1)
        return 0
    finally:
        _stop_steps(steps, stop)


def _stop_steps(steps: list[Step], stop: Stop) -> None:
    running = [step for step in steps if step.process.poll() is None]
    for step in running:
        step.signal(step.stop_signal)
    deadline = time.monotonic() + GRACE_SECONDS
    requests = stop.count
    while running and time.monotonic() < deadline and stop.count <= requests:
        running = [step for step in running if step.process.poll() is None]
        time.sleep(0.05)
    for step in running:  # out of time, or Ctrl-C again
        step.signal(signal.SIGKILL)
    for step in steps:
        step.process.wait()


def _exit_with_parent() -> None:
    """In the child before exec: SIGTERM when the supervisor dies (Linux)."""
    if _libc is not None:
        _libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _load_libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None)
    except OSError:
        return None


_libc = _load_libc()


if __name__ == "__main__":
    sys.exit(main())
