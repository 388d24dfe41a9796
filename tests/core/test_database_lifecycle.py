"""The embedded PostgreSQL's lifecycle (forum/core/database.py): processes that use
it never stop it, killed processes leave nothing behind, stale servers are
recovered, owners stop only what they started, and `make run` stops cleanly.

Every test runs its own server on a copy of a migrated data folder in tmp_path
(FORUM_PGDATA), never on the test session's."""

import os
import pty
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from forum.core import database
from forum.core import embedded_postgres as pg

BASE_DIR = database.BASE_DIR
PYTHON = sys.executable
QUERY = (
    "from django.db import connection\n"
    "with connection.cursor() as c:\n"
    "    c.execute('SELECT count(*) FROM django_migrations')\n"
    "    print('migrations', c.fetchone()[0], flush=True)\n"
)
# The demo's members with a fast hasher: the folder is a throwaway copy.
LOAD_DEMO_QUICKLY = (
    "from django.conf import settings\n"
    "settings.PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']\n"
    "from django.core.management import call_command\n"
    "call_command('load_demo')\n"
)


def _env(data_dir: Path, scratch: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        FORUM_PGDATA=str(data_dir),
        DEBUG="1",
        PAGE_CACHE_DIR=str(scratch / "pages"),
        MEDIA_ROOT=str(scratch / "media"),
        PYTHONUNBUFFERED="1",
    )
    return env


def _run(
    args: list[str], env: dict, timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return _run(["manage.py", *args], env)


def _database_cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return _run(["-m", "forum.core.database", *args], env)


def _postmaster_pid(data_dir: Path) -> int | None:
    postmaster = pg.read_postmaster(data_dir)
    if postmaster and pg.is_postmaster_of(postmaster.pid, data_dir):
        return postmaster.pid
    return None


def _gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str = "/", headers: dict | None = None) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers=headers or {}
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wait_for_200(port: int, process, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited before answering"
        try:
            if _get(port) == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    pytest.fail(f"nothing answered 200 on port {port} within {seconds} s")


@pytest.fixture(scope="module")
def migrated_folder(tmp_path_factory):
    """A stopped data folder with the migrations and the demo board, to copy."""
    root = tmp_path_factory.mktemp("pg-template")
    folder = root / "pgdata"
    env = _env(folder, root)
    try:
        for step in (
            _manage(env, "migrate", "--noinput", "-v", "0"),
            _manage(env, "shell", "-v", "0", "-c", LOAD_DEMO_QUICKLY),
        ):
            assert step.returncode == 0, step.stderr
    finally:
        _database_cli(env, "stop", "--force")
    return folder


@pytest.fixture
def pgdata(migrated_folder, tmp_path):
    """A copy of the migrated folder for one test; its server is stopped after."""
    folder = tmp_path / "pgdata"
    # cp -a keeps the owner: as root the folder belongs to the server's user.
    subprocess.run(["cp", "-a", str(migrated_folder), str(folder)], check=True)
    yield folder
    with pg.locked(folder):
        pg.stop_locked(folder)


@pytest.fixture
def env(pgdata, tmp_path):
    return _env(pgdata, tmp_path)


@pytest.fixture
def reaper():
    """Processes a test starts; whatever is left is killed with its group."""
    processes = []
    yield processes
    for process in processes:
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()


def _popen(args, env, reaper, **kwargs) -> subprocess.Popen:
    process = subprocess.Popen(
        [PYTHON, *args],
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,
        **kwargs,
    )
    reaper.append(process)
    return process


@pytest.mark.slow
def test_short_lived_commands_never_stop_the_server_under_a_web_server(
    pgdata, env, tmp_path, reaper
):
    assert _database_cli(env, "start").returncode == 0
    server_pid = _postmaster_pid(pgdata)
    # Given the URL, as manage.py benchmark gives it: the web server holds no
    # handle of its own, so under the wheel's list of handles the first command
    # to exit found itself alone and stopped the server under it.
    url = _database_cli(env, "url").stdout.strip()
    port = _free_port()
    log = open(tmp_path / "gunicorn.log", "w")
    web = _popen(
        ["-m", "gunicorn", "forum.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
        dict(env, DATABASE_URL=url),
        reaper,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    _wait_for_200(port, web)

    # A session cookie nobody issued: each request reads the session table, so a
    # database that went away fails the request.
    cookie = {"Cookie": "sessionid=" + "x" * 32}
    statuses, stop = [], threading.Event()

    def hammer():
        while not stop.is_set():
            try:
                statuses.append(_get(port, "/", cookie))
            except OSError as error:
                statuses.append(repr(error))

    loop = threading.Thread(target=hammer)
    loop.start()
    try:
        commands = [
            _popen(
                ["manage.py", "shell", "-v", "0", "-c", QUERY]
                if n % 2
                else ["manage.py", "migrate", "--check"],
                env,
                reaper,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(20)
        ]
        results = [
            (c.args, *c.communicate(timeout=120), c.returncode) for c in commands
        ]
        time.sleep(1)  # the last of them exiting was when the handle list stopped it
    finally:
        stop.set()
        loop.join()

    failed = [r for r in results if r[3] != 0]
    assert not failed, failed
    assert all("migrations" in out for args, out, err, rc in results if "shell" in args)
    assert len(statuses) > 10
    assert set(statuses) == {200}, [s for s in statuses if s != 200][:5]
    assert _postmaster_pid(pgdata) == server_pid
    assert _get(port, "/", cookie) == 200


def test_killed_commands_leave_the_server_running(env, pgdata, reaper):
    assert _database_cli(env, "start").returncode == 0
    server_pid = _postmaster_pid(pgdata)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        holder = _popen(
            [
                "manage.py",
                "shell",
                "-v",
                "0",
                "-c",
                QUERY + "import time; time.sleep(60)",
            ],
            env,
            reaper,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert "migrations" in holder.stdout.readline()  # connected
        holder.send_signal(sig)
        holder.wait(timeout=10)
        assert _postmaster_pid(pgdata) == server_pid, sig

    after = _manage(env, "shell", "-v", "0", "-c", QUERY)
    assert after.returncode == 0, after.stderr
    assert _postmaster_pid(pgdata) == server_pid


def test_a_killed_owner_leaves_the_server_to_the_next_owner(env, pgdata, reaper):
    def serve():
        owner = _popen(
            ["-m", "forum.core.database", "serve"],
            env,
            reaper,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert "PostgreSQL on" in owner.stdout.readline()
        return owner

    owner = serve()  # started it: stops it on SIGTERM
    server_pid = _postmaster_pid(pgdata)
    owner.send_signal(signal.SIGTERM)
    assert owner.wait(timeout=20) == 0
    assert _gone(server_pid)

    owner = serve()
    server_pid = _postmaster_pid(pgdata)
    owner.send_signal(signal.SIGKILL)  # cannot stop anything
    owner.wait(timeout=10)
    assert _postmaster_pid(pgdata) == server_pid
    assert "owners died" in _database_cli(env, "status").stdout
    used = _manage(env, "shell", "-v", "0", "-c", QUERY)
    assert used.returncode == 0, used.stderr

    owner = serve()  # inherits the orphaned server
    assert _postmaster_pid(pgdata) == server_pid
    owner.send_signal(signal.SIGINT)
    assert owner.wait(timeout=20) == 0
    assert _gone(server_pid)
    again = _manage(env, "shell", "-v", "0", "-c", QUERY)
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize("pid_in_file", ["dead", "reused"])
def test_a_stale_postmaster_pid_is_recovered_from(env, pgdata, reaper, pid_in_file):
    assert _database_cli(env, "start").returncode == 0
    killed = _postmaster_pid(pgdata)
    os.kill(killed, signal.SIGKILL)
    assert _gone(killed)
    pid_file = pgdata / "postmaster.pid"
    assert pid_file.exists() and (pgdata / ".s.PGSQL.5432").exists()  # left behind
    if pid_in_file == "reused":
        # The pid now belongs to another process: postgres alone would refuse to
        # start ("lock file already exists").
        stranger = _popen(["-c", "import time; time.sleep(60)"], env, reaper)
        lines = pid_file.read_text().splitlines()
        pid_file.write_text("\n".join([str(stranger.pid), *lines[1:]]) + "\n")
        socket_lock = pgdata / ".s.PGSQL.5432.lock"
        socket_lock.write_text(
            f"{stranger.pid}\n" + socket_lock.read_text().split("\n", 1)[1]
        )

    used = _manage(env, "shell", "-v", "0", "-c", QUERY)
    assert used.returncode == 0, used.stderr
    assert _postmaster_pid(pgdata) not in (None, killed)


def test_a_live_server_is_reused_and_a_running_one_started_by_hand_outlives_owners(
    env, pgdata
):
    with database.serving(pgdata):  # an owner that started it: stops it
        started = _postmaster_pid(pgdata)
        with database.serving(pgdata):  # nested: still one owner
            pass
        assert _postmaster_pid(pgdata) == started
        used = _manage(env, "shell", "-v", "0", "-c", QUERY)
        assert used.returncode == 0, used.stderr
        assert _postmaster_pid(pgdata) == started
    assert _gone(started)

    assert _database_cli(env, "start").returncode == 0  # by hand: until `stop`
    by_hand = _postmaster_pid(pgdata)
    with database.serving(pgdata):
        assert _postmaster_pid(pgdata) == by_hand
    assert _postmaster_pid(pgdata) == by_hand
    assert _database_cli(env, "stop").returncode == 0
    assert _gone(by_hand)


def _assert_clean_exit(output: str, data_dir: Path, server_pid: int, port: int):
    assert "Traceback" not in output, output
    assert "No child processes" not in output, output
    assert "Interrupt" not in output, output
    assert _gone(server_pid, 5), "PostgreSQL still runs"
    assert not (data_dir / "postmaster.pid").exists()
    with pytest.raises(OSError):
        _get(port)


def test_the_make_run_supervisor_stops_everything_on_sigint(
    env, pgdata, tmp_path, reaper
):
    port = _free_port()
    with open(tmp_path / "out", "w") as out, open(tmp_path / "err", "w") as err:
        supervisor = _popen(
            ["-m", "forum.core.devserver", "--port", str(port)],
            env,
            reaper,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        _wait_for_200(port, supervisor)
        server_pid = _postmaster_pid(pgdata)
        steps = psutil.Process(supervisor.pid).children(recursive=True)
        assert len(steps) >= 2  # the worker and runserver
        started = time.monotonic()
        os.killpg(supervisor.pid, signal.SIGINT)  # as a terminal's Ctrl-C would
        code = supervisor.wait(timeout=30)
    assert time.monotonic() - started < 10
    assert code in (0, 130)
    _assert_clean_exit((tmp_path / "err").read_text(), pgdata, server_pid, port)
    assert all(_gone(step.pid, 1) for step in steps)


@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
def test_ctrl_c_in_a_terminal_ends_make_run_quietly(env, pgdata):
    port = _free_port()
    command = [
        "make", "-s", "-C", str(BASE_DIR), "-o", "venv", "run",
        f"BIN={Path(PYTHON).parent}", f"PORT={port}",
    ]  # fmt: skip
    pid, terminal = pty.fork()
    if pid == 0:  # the child: make in a terminal of its own
        try:
            os.execvpe(command[0], command, env)
        finally:
            os._exit(127)
    output = bytearray()

    def read(seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if select.select([terminal], [], [], 0.05)[0]:
                try:
                    output.extend(os.read(terminal, 65536))
                except OSError:  # the terminal closed
                    return

    try:
        deadline = time.monotonic() + 90
        while _postmaster_pid(pgdata) is None or b"Serving the forum" not in output:
            assert time.monotonic() < deadline, output.decode(errors="replace")
            read(0.2)
        while time.monotonic() < deadline:
            read(0.2)
            try:
                if _get(port) == 200:
                    break
            except OSError:
                pass
        server_pid = _postmaster_pid(pgdata)
        os.write(terminal, b"\x03")  # Ctrl-C
        started = time.monotonic()
        while not (done := os.waitpid(pid, os.WNOHANG))[0]:
            assert time.monotonic() - started < 15, output.decode(errors="replace")
            read(0.05)
        pid = None
        read(0.2)
    finally:
        if pid:  # make never exited: its group goes
            os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(terminal)
    text = output.decode(errors="replace")
    # make got the SIGINT too and ends with it once the supervisor exited 0; a
    # shell between them would die of it, and make print "*** [run] Interrupt".
    assert os.waitstatus_to_exitcode(done[1]) in (0, -signal.SIGINT), text
    _assert_clean_exit(text, pgdata, server_pid, port)
