"""gunicorn as production and the benchmark run it (gunicorn.conf.py): responses
name no server software, and still carry the forum's own headers."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from forum.devtools import bench

ROOT = Path(__file__).resolve().parent.parent
# Static files need no database: settings get an address they never connect to,
# and DEBUG lets whitenoise serve static/ without collectstatic.
ENV = {
    **{
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    },
    "DEBUG": "1",
    "DATABASE_URL": "postgres://forum@127.0.0.1:9/forum",
    "PYTHONUNBUFFERED": "1",
}
STYLESHEET = "/static/css/forum.css"


def assert_no_server_detail(headers) -> None:
    assert headers.get_all("Server") in (None, [""]), headers.get_all("Server")
    assert "gunicorn" not in str(headers).lower()


@pytest.fixture
def production_gunicorn(tmp_path):
    """gunicorn started in the repository root with no options but the port, as an
    operator would: it must find gunicorn.conf.py by itself."""
    port = bench.free_port()
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**ENV, "WEB_CONCURRENCY": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                bench.get(port, STYLESHEET, timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_production_gunicorn_names_no_server_software(production_gunicorn):
    status, headers, body = bench.get(production_gunicorn, STYLESHEET)

    assert status == 200 and b".site-header" in body
    assert_no_server_detail(headers)
    assert "default-src 'self'" in headers["Content-Security-Policy"].split("; ")


def test_the_benchmarks_gunicorn_uses_the_same_settings(tmp_path):
    with bench.Gunicorn(
        workers=1,
        env=ENV,
        cwd=ROOT,
        log_path=tmp_path / "gunicorn.log",
        ready_path=STYLESHEET,
    ) as server:
        status, headers, _ = bench.get(server.port, STYLESHEET)

    assert status == 200
    assert_no_server_detail(headers)
