"""The server under test: gunicorn serving the project on a free port of 127.0.0.1,
one GET, and a login through the real form."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from forum.devtools.bench.drivers import HOST, USER_AGENT, BenchmarkError


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None, *, timeout: float = 30):
    """One GET; returns (status, response headers, body)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(
            "GET", path, headers={"User-Agent": USER_AGENT, **(headers or {})}
        )
        response = connection.getresponse()
        return response.status, response.msg, response.read()
    finally:
        connection.close()


def process_tree_cpu(pid: int) -> float:
    """User + system seconds of a process and its children, now."""
    import psutil

    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    # Children that ended (a database connection closed) left their time with
    # the process that waited for them.
    try:
        times = root.cpu_times()
        total += times.children_user + times.children_system
    except psutil.NoSuchProcess:
        pass
    return total


def postgres_pid(data_dir) -> int | None:
    """The embedded PostgreSQL's postmaster, to charge its processes' time too."""
    try:
        return int((Path(data_dir) / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _interrupt(signum, frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


class Gunicorn:
    """gunicorn serving the project on 127.0.0.1 (a free port), stopped on exit, on
    Ctrl-C and on error."""

    def __init__(self, *, workers: int, env: dict, cwd, log_path, ready_path: str):
        self.workers = workers
        self.env = env
        self.cwd = cwd
        self.log_path = log_path
        self.ready_path = ready_path
        self.port = 0
        self.process: subprocess.Popen | None = None
        self._previous: dict = {}

    def __enter__(self) -> Gunicorn:
        self._catch_signals()
        try:
            self.start()
            self.wait_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.stop()
        finally:
            for signum, handler in self._previous.items():
                signal.signal(signum, handler)

    def _catch_signals(self) -> None:
        """Ctrl-C and SIGTERM unwind through __exit__, so gunicorn never outlives
        us (SIGTERM would otherwise end Python without running it)."""
        self._previous = {}
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in (signal.SIGINT, signal.SIGTERM):
            self._previous[signum] = signal.signal(signum, _interrupt)

    def start(self) -> None:
        self.port = free_port()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "forum.wsgi:application",
            # The production settings (the Server header among them); the
            # options below win over the file's.
            "--config",
            str(Path(self.cwd) / "gunicorn.conf.py"),
            "--workers",
            str(self.workers),
            "--bind",
            f"{HOST}:{self.port}",
            "--graceful-timeout",
            "10",
            "--timeout",
            "120",
        ]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                # Its own process group: Ctrl-C reaches us, and we stop it cleanly.
                start_new_session=True,
            )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchmarkError(
                    f"gunicorn exited with status {self.process.returncode}:\n"
                    + self.log_tail()
                )
            try:
                status, _, _ = get(self.port, self.ready_path, timeout=5)
            except OSError:
                time.sleep(0.2)
                continue
            if status == 200:
                return
            raise BenchmarkError(
                f"gunicorn answered {self.ready_path} with HTTP {status}:\n"
                + self.log_tail()
            )
        raise BenchmarkError(
            "gunicorn did not answer within a minute:\n" + self.log_tail()
        )

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)  # graceful: workers finish their request
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def cpu_seconds(self) -> float:
        """Processor time used so far by gunicorn and its workers (user + system).
        Workers that were replaced took theirs with them: compare readings taken
        while the same workers serve."""
        if self.process is None:
            return 0.0
        return process_tree_cpu(self.process.pid)

    def log_tail(self, lines: int = 30) -> str:
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as log:
                return "".join(log.readlines()[-lines:])
        except OSError:
            return ""


def _cookies(response) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.msg.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def log_in(
    port: int,
    username: str,
    password: str,
    *,
    session_cookie: str = "sessionid",
    csrf_cookie: str = "csrftoken",
) -> str:
    """Log in through the real login form; returns the Cookie header to send."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request(
            "GET", "/accounts/login/", headers={"User-Agent": USER_AGENT}
        )
        response = connection.getresponse()
        response.read()
        jar = _cookies(response)
        token = jar.get(csrf_cookie)
        if response.status != 200 or not token:
            raise BenchmarkError(f"The login page answered HTTP {response.status}.")
        form = urlencode(
            {"login": username, "password": password, "csrfmiddlewaretoken": token}
        )
        connection.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "User-Agent": USER_AGENT,
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"{csrf_cookie}={token}",
            },
        )
        response = connection.getresponse()
        response.read()
        jar.update(_cookies(response))
    finally:
        connection.close()
    if response.status != 302 or not jar.get(session_cookie):
        raise BenchmarkError(
            f"Could not log in as {username!r} (HTTP {response.status}); "
            "is the password right?"
        )
    return "; ".join(f"{name}={value}" for name, value in jar.items())
