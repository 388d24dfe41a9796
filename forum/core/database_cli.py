"""`python -m forum.core.database serve|start|stop|status|url`: the embedded
PostgreSQL by hand, without Django settings. See forum/core/database.py."""

import argparse
import signal
import sys
import threading
from pathlib import Path

from forum.core import database
from forum.core import embedded_postgres as pg

NOT_RUNNING = 3  # what `pg_ctl status` and service managers answer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m forum.core.database",
        description="The embedded PostgreSQL of this checkout (DATABASE_URL unset).",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="the data folder (default: FORUM_PGDATA, else .pgdata)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "serve",
        help="start it if needed and hold it as an owner until Ctrl-C; it is "
        "stopped then if this started it and no other owner remains",
    )
    commands.add_parser("start", help="start it if needed and leave it running")
    stop = commands.add_parser("stop", help="stop it")
    stop.add_argument(
        "--force",
        action="store_true",
        help="stop it even while an owner (make run, a test session) holds it",
    )
    commands.add_parser("status", help=f"describe it; exit {NOT_RUNNING} if down")
    commands.add_parser("url", help="print its URL, starting it if needed")
    args = parser.parse_args(argv)
    data_dir = (args.data_dir or database.embedded_data_dir()).resolve()
    try:
        return COMMANDS[args.command](data_dir, args)
    except pg.DatabaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def serve(data_dir: Path, args) -> int:
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: done.set())
    with database.serving(data_dir) as url:
        print(f"PostgreSQL on {data_dir}: {url} (Ctrl-C stops holding it)")
        sys.stdout.flush()
        while not done.wait(1):
            pass
    return 0


def start(data_dir: Path, args) -> int:
    url = database.embedded_database_url(data_dir)
    print(f"PostgreSQL on {data_dir}: {url}")
    return 0


def stop(data_dir: Path, args) -> int:
    with pg.locked(data_dir) as fd:
        state = database.read_state(fd)
        owners = [o[0] for o in state["owners"] if database.is_alive(o)]
        if owners and not args.force:
            pids = ", ".join(map(str, owners))
            print(
                f"PostgreSQL on {data_dir} is held by process {pids} (make run, a "
                "test session, ...): stop that, or pass --force.",
                file=sys.stderr,
            )
            return 1
        stopped = pg.stop_locked(data_dir)
        state["owned"] = False
        database.write_state(fd, state)
    print("stopped" if stopped else "not running")
    return 0


def status(data_dir: Path, args) -> int:
    now = database.status(data_dir)
    if not now.running:
        print(f"not running ({data_dir})")
        return NOT_RUNNING
    if now.owners:
        held = f"held by {', '.join(map(str, now.owners))}"
        held += "; stopped when the last leaves" if now.owned else "; left running"
    else:
        held = "no owner: runs until `stop`"
        if now.owned:
            held = "its owners died: the next owner will stop it"
    print(
        f"running (pid {now.pid}) on {data_dir}\n  url: {now.url}\n  {held}\n"
        f"  started by: {now.started_by or 'unknown'}"
    )
    return 0


def url(data_dir: Path, args) -> int:
    print(database.embedded_database_url(data_dir))
    return 0


COMMANDS = {"serve": serve, "start": start, "stop": stop, "status": status, "url": url}
