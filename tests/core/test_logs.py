"""Structured logs: JSON lines on stdout with the request's id, the same id in the
response and in gunicorn's access log; errors to Sentry when a DSN is set."""

import gzip
import io
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from forum.core import logs
from tests.test_settings import run_manage


@pytest.fixture
def json_log():
    """The LOGGING handler's filter and formatter on a stream of our own."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_its_logs_do_too(client, json_log):
    response = client.get("/no/such/page/")

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    [line] = [e for e in json_log() if e["logger"] == "django.request"]
    assert line["request_id"] == request_id
    assert line["level"] == "WARNING"
    assert "/no/such/page/" in line["message"]
    assert line["status_code"] == 404
    assert client.get("/")["X-Request-ID"] != request_id


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_and_a_forged_one_replaced(client):
    kept = client.get("/", HTTP_X_REQUEST_ID="lb-7f3a9c2e-0001")
    replaced = client.get("/", HTTP_X_REQUEST_ID="<script>x</script>")

    assert kept["X-Request-ID"] == "lb-7f3a9c2e-0001"
    assert replaced["X-Request-ID"] != "<script>x</script>"


def test_an_exception_is_one_json_line_with_its_traceback(json_log):
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        logging.getLogger("forum.test").exception("Broke %s", "here")

    [line] = json_log()
    assert line["message"] == "Broke here" and line["request_id"] == "-"
    assert "ZeroDivisionError" in line["exception"]


def test_production_logs_are_json_lines_on_stdout():
    config = logs.logging_config(json_lines=True, level="INFO")

    assert config["handlers"]["console"]["stream"] == "ext://sys.stdout"
    assert config["handlers"]["console"]["formatter"] == "json"


class _Collector(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        self.server.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_collector():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_errors_go_to_sentry_when_a_dsn_is_set(sentry_collector):
    port = sentry_collector.server_address[1]
    script = (
        "import sentry_sdk\n"
        "assert sentry_sdk.get_client().is_active()\n"
        "sentry_sdk.capture_message('reported from the forum')\n"
        "sentry_sdk.flush(10)\n"
    )
    result = run_manage(
        "shell",
        "-c",
        script,
        DEBUG="1",
        SENTRY_DSN=f"http://publickey@127.0.0.1:{port}/42",
        SENTRY_ENVIRONMENT="test",
    )

    assert result.returncode == 0, result.stderr
    envelopes = [body for path, body in sentry_collector.received if "/42/" in path]
    assert any(b"reported from the forum" in body for body in envelopes)
    assert any(b'"environment":"test"' in body for body in envelopes)


def test_without_a_dsn_nothing_is_sent():
    result = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        "import sentry_sdk; print(sentry_sdk.get_client().is_active())",
        DEBUG="1",
    )
    assert result.stdout.strip() == "False", result.stderr
