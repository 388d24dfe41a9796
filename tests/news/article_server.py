"""A tiny local HTTP server for tests that fetch "articles".

It listens on 127.0.0.1 with an OS-assigned port and serves a route table::

    with ArticleServer({"/a": Route(body=b"<html>...</html>")}) as server:
        fetch_page(server.url("/a"), policy=server.policy())
        assert server.paths() == ["/a"]

Routes can delay their answer, drip the body (or even the headers) slowly, and
send any status and headers, which is what the fetcher's timeout, size and
redirect tests need. Every request is recorded so tests can prove what was, or
was not, requested.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["ArticleServer", "RecordedRequest", "Route", "html_route"]


@dataclass
class Route:
    """How the server answers one path.

    ``body`` may be bytes or a callable taking the RecordedRequest and returning
    bytes. ``delay`` sleeps before anything is sent; ``drip_interval`` sends the
    body ``drip_size`` bytes at a time with pauses in between, and
    ``drip_headers`` does the same for the status line and headers. When
    ``content_length`` is true a Content-Length header is added unless one is
    given; otherwise the body is delimited by closing the connection.
    ``chunks`` (an iterable of bytes) streams a body of any size without
    building it in memory and implies no Content-Length.
    """

    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | Callable[[RecordedRequest], bytes] = b""
    delay: float = 0.0
    drip_interval: float = 0.0
    drip_size: int = 1
    drip_headers: bool = False
    content_length: bool = True
    chunks: Callable[[], Iterable[bytes]] | None = None


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]


def html_route(html: str | bytes, *, charset: str = "utf-8", **kwargs: Any) -> Route:
    """Return a Route serving ``html`` as text/html."""
    body = html.encode(charset) if isinstance(html, str) else html
    headers = [("Content-Type", f"text/html; charset={charset}")]
    headers.extend(kwargs.pop("headers", []))
    return Route(headers=headers, body=body, **kwargs)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    # Close-delimited bodies need HTTP/1.0 semantics: one request per connection.
    protocol_version = "HTTP/1.0"

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        record = RecordedRequest(
            method=method,
            path=self.path,
            headers={name.lower(): value for name, value in self.headers.items()},
        )
        owner = self.server.owner
        with owner.lock:
            owner.requests.append(record)
        route = owner.routes.get(self.path) or owner.routes.get(
            self.path.partition("?")[0]
        )
        if route is None:
            route = Route(status=404, body=b"not found")
        try:
            self._answer(route, record, method)
        except (ConnectionError, TimeoutError, OSError):
            # The client is allowed to hang up early (that is what size caps
            # and timeouts do); it is not a server error.
            pass

    def _pause(self, seconds: float) -> bool:
        """Sleep, but return True early when the server is shutting down."""
        return self.server.owner.stopping.wait(seconds)

    def _answer(self, route: Route, record: RecordedRequest, method: str) -> None:
        if route.delay and self._pause(route.delay):
            return
        body = route.body(record) if callable(route.body) else route.body
        headers = list(route.headers)
        names = {name.lower() for name, _ in headers}
        if (
            route.chunks is None
            and route.content_length
            and "content-length" not in names
        ):
            headers.append(("Content-Length", str(len(body))))
        headers.append(("Connection", "close"))

        head = f"HTTP/1.0 {route.status} {self.responses.get(route.status, ('',))[0]}"
        head_bytes = (
            "\r\n".join([head, *(f"{name}: {value}" for name, value in headers)])
            + "\r\n\r\n"
        ).encode("latin-1")
        if route.drip_headers:
            self._drip(head_bytes, route)
        else:
            self.wfile.write(head_bytes)
            self.wfile.flush()
        if method == "HEAD":
            return
        if route.chunks is not None:
            for chunk in route.chunks():
                if self.server.owner.stopping.is_set():
                    return
                self.wfile.write(chunk)
            self.wfile.flush()
        elif route.drip_interval:
            self._drip(body, route)
        else:
            self.wfile.write(body)
            self.wfile.flush()

    def _drip(self, data: bytes, route: Route) -> None:
        interval = route.drip_interval or 0.2
        for start in range(0, len(data), max(1, route.drip_size)):
            self.wfile.write(data[start : start + max(1, route.drip_size)])
            self.wfile.flush()
            if self._pause(interval):
                return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: ArticleServer


class ArticleServer:
    """A threaded HTTP server on 127.0.0.1 serving a mutable route table."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[RecordedRequest] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> ArticleServer:
        """Bind to an ephemeral port and serve in a daemon thread."""
        if self._httpd is not None:
            return self
        self.stopping.clear()
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.owner = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"article-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake any sleeping handlers and release the port."""
        if self._httpd is None:
            return
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> ArticleServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- helpers -----------------------------------------------------------

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        if self._httpd is None:
            raise RuntimeError("ArticleServer is not running")
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` without a trailing slash."""
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        """Absolute URL for ``path`` on this server."""
        return self.base_url + path

    def add(self, path: str, route: Route) -> None:
        """Add or replace the route for ``path``."""
        self.routes[path] = route

    def paths(self) -> list[str]:
        """Paths requested so far, in order."""
        with self.lock:
            return [request.path for request in self.requests]

    def policy(self, **overrides: Any) -> Any:
        """A FetchPolicy that may reach this server (loopback, this port only)."""
        from forum.news.fetcher import FetchPolicy

        options: dict[str, Any] = {
            "allow_loopback": True,
            "allowed_ports": frozenset({self.port}),
        }
        options.update(overrides)
        return FetchPolicy(**options)
