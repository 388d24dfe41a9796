"""Talking HTTP to a vetted address: pinned connections, redirects and limits.

The TCP connection goes to an address that forum.news.fetcher.addresses
checked, never to a fresh lookup, so a DNS answer cannot change between the
check and the connect (DNS rebinding); TLS still verifies the name the member
typed.  Every redirect is validated from scratch like the first URL.  Bodies
are capped after decompression and the whole fetch, redirects included, runs
against one deadline enforced by a watchdog.
"""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import threading
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin

from forum.news.fetcher.addresses import Target, check_port, resolve, split_url
from forum.news.fetcher.policy import (
    Deadline,
    FetchFailed,
    FetchPolicy,
    FetchRefused,
    IPAddress,
)

USER_AGENT = "ForumLinkPreview/1.0"

# ---------------------------------------------------------------------------
# Connections pinned to a checked address
# ---------------------------------------------------------------------------


class _PinnedMixin:
    """Dial a pre-checked address instead of resolving ``self.host`` again."""

    sock: socket.socket | None
    port: int
    timeout: float
    _pinned_address: str
    _connect_timeout: float
    # http.client drops self.sock once a "Connection: close" response arrives,
    # while the response keeps reading from it; this reference outlives that.
    _live_sock: socket.socket | None = None

    def __init__(
        self,
        host: str,
        port: int,
        *,
        address: str,
        connect_timeout: float,
        timeout: float,
        **kwargs,
    ) -> None:
        super().__init__(host, port, timeout=timeout, **kwargs)
        self._pinned_address = address
        self._connect_timeout = connect_timeout

    def _open_socket(self) -> socket.socket:
        sock = socket.create_connection(
            (self._pinned_address, self.port), timeout=self._connect_timeout
        )
        sock.settimeout(self.timeout)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        return sock

    def set_io_timeout(self, seconds: float) -> None:
        """Bound the next socket operation, e.g. by the time left overall."""
        if self._live_sock is not None:
            self._live_sock.settimeout(seconds)

    def abort(self) -> None:
        """Unblock any pending read from another thread (the deadline watchdog)."""
        sock = self._live_sock
        if sock is None:
            return
        try:
            # socket.socket.shutdown rather than SSLSocket.shutdown: the latter
            # tears down TLS state another thread may be using right now.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass


class _PinnedHTTPConnection(_PinnedMixin, http.client.HTTPConnection):
    def connect(self) -> None:
        self.sock = self._live_sock = self._open_socket()


class _PinnedHTTPSConnection(_PinnedMixin, http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, **kwargs) -> None:
        self._tls_context = ssl.create_default_context()
        super().__init__(host, port, context=self._tls_context, **kwargs)

    def connect(self) -> None:
        raw = self._open_socket()
        try:
            # SNI and certificate checks use the name the member typed, while
            # the TCP connection goes to the address we vetted.
            self.sock = self._tls_context.wrap_socket(raw, server_hostname=self.host)
            self._live_sock = self.sock
        except BaseException:
            raw.close()
            raise


# ---------------------------------------------------------------------------
# Bodies
# ---------------------------------------------------------------------------

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_READ_CHUNK = 64 * 1024
_TOO_BIG = "The page is too large to preview."


class _Inflater:
    """Streaming gzip/deflate decoder that never produces more than allowed."""

    def __init__(self, encoding: str) -> None:
        self._decoder: zlib._Decompress | None = None
        self._pending = b""
        if encoding == "gzip":
            self._decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def _start_deflate(self, data: bytes) -> None:
        # "deflate" is meant to be zlib-wrapped, but plenty of servers send a
        # raw deflate stream; the two-byte zlib header tells them apart.
        cmf, flg = data[0], data[1]
        wrapped = cmf & 0x0F == 8 and (cmf << 8 | flg) % 31 == 0
        self._decoder = zlib.decompressobj(
            zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS
        )

    def feed(self, data: bytes, budget: int) -> bytes:
        """Decompress ``data``; raise FetchFailed once output exceeds ``budget``."""
        if self._decoder is None:
            self._pending += data
            if len(self._pending) < 2:
                return b""
            data, self._pending = self._pending, b""
            self._start_deflate(data)
        assert self._decoder is not None
        produced = 0
        out = []
        try:
            while data and not self._decoder.eof:
                # max_length bounds every step, so a bomb is detected after at
                # most budget + 1 bytes of output, never fully inflated.
                piece = self._decoder.decompress(data, budget - produced + 1)
                produced += len(piece)
                if produced > budget:
                    raise FetchFailed(_TOO_BIG)
                out.append(piece)
                data = self._decoder.unconsumed_tail
        except zlib.error as exc:
            raise FetchFailed("The website sent corrupt compressed data.") from exc
        return b"".join(out)

    def finish(self, budget: int) -> bytes:
        """Return whatever output is still buffered, within ``budget``."""
        if self._decoder is None:
            if self._pending:
                raise FetchFailed("The website sent corrupt compressed data.")
            return b""
        try:
            rest = self._decoder.flush()
        except zlib.error as exc:
            raise FetchFailed("The website sent corrupt compressed data.") from exc
        if len(rest) > budget:
            raise FetchFailed(_TOO_BIG)
        return rest


def _make_inflater(header: str) -> _Inflater | None:
    encodings = [part.strip().lower() for part in header.split(",") if part.strip()]
    encodings = [enc for enc in encodings if enc != "identity"]
    if not encodings:
        return None
    if len(encodings) == 1:
        name = {"x-gzip": "gzip"}.get(encodings[0], encodings[0])
        if name in ("gzip", "deflate"):
            return _Inflater(name)
    raise FetchFailed("The website used a compression format we don't support.")


def _read_body(
    response: http.client.HTTPResponse,
    conn: _PinnedMixin,
    deadline: Deadline,
    max_bytes: int,
) -> bytes:
    inflater = _make_inflater(response.getheader("Content-Encoding", "") or "")
    declared = (response.getheader("Content-Length") or "").strip()
    # Refuse early when the server admits the body is too big; a missing or
    # lying header is caught by the running count below.
    if inflater is None and re.fullmatch(r"[0-9]{1,18}", declared):
        if int(declared) > max_bytes:
            raise FetchFailed(_TOO_BIG)

    # Compressed input is capped too (with slack for incompressible data) so a
    # stream that never produces output still ends.
    raw_limit = max_bytes + 64 * 1024
    raw_total = 0
    chunks: list[bytes] = []
    total = 0
    while True:
        conn.set_io_timeout(deadline.remaining())
        chunk = response.read1(_READ_CHUNK)
        if not chunk:
            break
        deadline.remaining()
        raw_total += len(chunk)
        if raw_total > raw_limit:
            raise FetchFailed(_TOO_BIG)
        if inflater is not None:
            chunk = inflater.feed(chunk, max_bytes - total)
        total += len(chunk)
        if total > max_bytes:
            raise FetchFailed(_TOO_BIG)
        chunks.append(chunk)
    # The watchdog ends a dripping body by shutting the socket, which reads as
    # a normal end of stream; a truncated page must not pass as complete.
    deadline.remaining()
    if inflater is not None:
        chunks.append(inflater.finish(max_bytes - total))
    return b"".join(chunks)


def _parse_content_type(header: str | None) -> tuple[str, str]:
    """Return (media type, charset) from a Content-Type header."""
    if not header:
        return "", ""
    media_type, *params = header.split(";")
    charset = ""
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").strip()
    return media_type.strip().lower(), charset


# ---------------------------------------------------------------------------
# The fetch loop
# ---------------------------------------------------------------------------


class _ConnectFailed(FetchFailed):
    """The TCP or TLS connection could not be established."""


@dataclass
class Response:
    status: int
    media_type: str
    charset: str
    body: bytes


def _request_once(
    target: Target,
    address: IPAddress,
    policy: FetchPolicy,
    deadline: Deadline,
    accept: str,
    allowed_types: frozenset[str],
) -> Response | str:
    """Perform one GET; return the response, or the Location of a redirect."""
    remaining = deadline.remaining()
    conn_class = (
        _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    )
    conn = conn_class(
        target.host,
        target.port,
        address=str(address),
        connect_timeout=min(policy.connect_timeout, remaining),
        timeout=remaining,
    )
    timed_out = threading.Event()

    def on_deadline() -> None:
        timed_out.set()
        conn.abort()

    # Per-read socket timeouts alone can't stop a server that drips one header
    # byte at a time; the watchdog cuts the socket when the deadline passes.
    watchdog = threading.Timer(remaining, on_deadline)
    watchdog.daemon = True
    watchdog.start()
    response: http.client.HTTPResponse | None = None
    try:
        try:
            conn.connect()
        except OSError as exc:
            if timed_out.is_set() or isinstance(exc, TimeoutError):
                raise _ConnectFailed("The website took too long to respond.") from exc
            if isinstance(exc, ssl.SSLError):
                message = "A secure connection to the website failed."
                raise _ConnectFailed(message) from exc
            raise _ConnectFailed("Couldn't connect to the website.") from exc
        conn.request(
            "GET",
            target.request_target,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": accept,
                "Accept-Encoding": "gzip, deflate",
                "Accept-Language": "en;q=1.0, *;q=0.5",
                "Connection": "close",
            },
        )
        response = conn.getresponse()
        status = response.status
        if status in _REDIRECT_STATUSES:
            location = response.getheader("Location")
            if not location:
                raise FetchFailed("The website sent a redirect without a target.")
            return location
        if not 200 <= status < 300:
            raise FetchFailed(f"The website answered with an error (HTTP {status}).")
        media_type, charset = _parse_content_type(response.getheader("Content-Type"))
        if media_type not in allowed_types:
            raise FetchFailed(
                "That link doesn't point to "
                + ("a web page." if "text/html" in allowed_types else "an image.")
            )
        body = _read_body(response, conn, deadline, policy.max_bytes)
        return Response(status, media_type, charset, body)
    except (FetchFailed, FetchRefused):
        raise
    except TimeoutError as exc:
        raise FetchFailed("The website took too long to respond.") from exc
    except ssl.SSLError as exc:
        if timed_out.is_set():
            raise FetchFailed("The website took too long to respond.") from exc
        raise FetchFailed("A secure connection to the website failed.") from exc
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if timed_out.is_set():
            raise FetchFailed("The website took too long to respond.") from exc
        raise FetchFailed("The website sent an invalid response.") from exc
    finally:
        watchdog.cancel()
        if response is not None:
            response.close()
        conn.close()


def _decode_location(location: str) -> str:
    # http.client decodes headers as Latin-1; servers that put UTF-8 in
    # Location mean the UTF-8 reading.
    try:
        return location.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return location


def fetch(
    url: str,
    policy: FetchPolicy | None,
    accept: str,
    allowed_types: frozenset[str],
) -> tuple[Target, Target, Response]:
    policy = policy or FetchPolicy.from_settings()
    deadline = Deadline(policy.total_timeout)
    first = target = split_url(url)
    redirects = 0
    while True:
        # Every hop is validated from scratch, exactly like the first URL.
        check_port(target, policy)
        addresses = resolve(target, policy, deadline)
        result: Response | str | None = None
        for index, address in enumerate(addresses):
            try:
                result = _request_once(
                    target, address, policy, deadline, accept, allowed_types
                )
                break
            except _ConnectFailed:
                # A host with several addresses may have one that is down; once
                # a server has answered, though, its answer stands.
                if index == len(addresses) - 1:
                    raise
        if isinstance(result, Response):
            return first, target, result
        assert isinstance(result, str)
        if redirects >= policy.max_redirects:
            raise FetchRefused("That link redirects too many times.")
        redirects += 1
        target = split_url(urljoin(target.url, _decode_location(result)))
