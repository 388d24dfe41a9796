"""Production processes for the tests: gunicorn nodes with DEBUG off against the
test session's database, a Redis server of their own, the db worker, and a
small HTTP client that keeps cookies like a browser (one jar for every port
of 127.0.0.1, as browsers do)."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from django.conf import settings

from forum.core.database import database_url
from forum.devtools import bench

ROOT = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"
# The nodes' key: the test process signs its sessions with it too (force_login).
SECRET_KEY = "two-nodes-" + "k9" * 30
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def test_database_url() -> str:
    """The database the pytest session created, as a URL for other processes."""
    url = database_url()
    name = settings.DATABASES["default"]["NAME"]
    return urlunsplit(urlsplit(url)._replace(path="/" + quote(name)))


def production_env(**extra: str) -> dict:
    """DEBUG off and production settings, less TLS (plain HTTP on loopback)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "FORUM_WEB_PROCESS", "REDIS_URL"}
        and not k.startswith(("PYTEST_", "RATE_LIMIT"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="forum.settings",
        DEBUG="0",
        SECRET_KEY=SECRET_KEY,
        DATABASE_URL=test_database_url(),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        FORUM_FLOOD_SECONDS="0",
        FORUM_FLOOD_SECONDS_NEW_MEMBER="0",
        FORUM_APPROVAL_POSTS="0",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def collect_static(static_root: Path) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=production_env(STATIC_ROOT=str(static_root)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr


class Node(bench.Gunicorn):
    """One web node: gunicorn with the repository's gunicorn.conf.py."""

    def __init__(self, name: str, env: dict, scratch: Path, workers: int = 2):
        super().__init__(
            workers=workers,
            env={
                **env,
                # Each node its own machine: nothing shared but what is meant to be.
                "PAGE_CACHE_DIR": str(scratch / name / "pages"),
                "FORUM_VERSIONS_DIR": str(scratch / name / "versions"),
            },
            cwd=ROOT,
            log_path=scratch / f"{name}.log",
            ready_path="/-/health",
        )
        self.name = name

    def kill(self) -> None:
        """SIGKILL to the master and every worker: the machine is gone."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


class RedisServer:
    """Debian's redis-server on a free port, without persistence."""

    def __init__(self, scratch: Path):
        self.scratch = scratch
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def __enter__(self) -> RedisServer:
        binary = shutil.which("redis-server")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.scratch),
                "--maxmemory-policy",
                "volatile-lru",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        import redis

        client = redis.Redis(host=HOST, port=self.port)
        deadline = time.monotonic() + 30
        while True:
            assert self.process.poll() is None, "redis-server exited"
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not answer"
                time.sleep(0.05)
        self.client = client
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


class Worker:
    """`manage.py db_worker` with the nodes' settings."""

    def __init__(self, env: dict, log_path: Path):
        self.env = env
        self.log_path = log_path

    def __enter__(self) -> Worker:
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--interval",
                "0.2",
                "--no-startup-delay",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        return self

    def drain(self, timeout: float = 120) -> None:
        """Wait until the worker has run every task that is due. A test's rows
        are flushed when it ends: a task whose row vanished under it stops the
        worker (its result cannot be saved), so each test waits for the queue
        first; and a worker that stopped anyway is started again."""
        from django_tasks_db.models import DBTaskResult

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.close()
                self.__enter__()
            tasks = DBTaskResult.objects.all()
            if not (tasks.ready().exists() or tasks.running().exists()):
                return
            time.sleep(0.1)

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()


class Visitor:
    """A browser's cookies and requests, to any node (port) of 127.0.0.1."""

    def __init__(self, cookies: dict[str, str] | None = None):
        self.cookies = dict(cookies or {})

    def request(self, port: int, method: str, path: str, form=None, timeout=30):
        connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
        headers = {"User-Agent": "forum-two-node-test"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        jar = SimpleCookie()
        for header in response.msg.get_all("Set-Cookie") or []:
            jar.load(header)
        for name, morsel in jar.items():
            if morsel.value and morsel["max-age"] != "0":
                self.cookies[name] = morsel.value
            else:
                self.cookies.pop(name, None)
        return response.status, response.msg, content.decode("utf-8", "replace")

    def get(self, port: int, path: str, **kwargs):
        return self.request(port, "GET", path, **kwargs)

    def post_form(self, port: int, page: str, action: str, fields: dict, **kwargs):
        """Open `page`, take its CSRF token, and send `fields` to `action`."""
        status, _, html = self.get(port, page)
        assert status == 200, (status, page)
        token = CSRF.search(html)
        assert token, f"no form token on {page}"
        form = {"csrfmiddlewaretoken": token.group(1), **fields}
        return self.request(port, "POST", action, form=form, **kwargs)
