"""Server-side fetching of user-submitted links, hardened against SSRF.

Members paste arbitrary URLs, and the server then fetches them to build a link
preview. Without care that turns the forum into a proxy into our own network
(cloud metadata endpoints, the database, admin panels on localhost). Every hop
is therefore validated from scratch: scheme, port, host spelling, the DNS
answer, and each resolved address. The connection then goes to the address that
was checked, never to a fresh lookup, so a DNS answer cannot change between the
check and the connect (DNS rebinding).

Bodies are capped after decompression and the whole fetch, redirects included,
runs against a single deadline, so a hostile server can neither exhaust memory
nor tie up a worker.
"""

from __future__ import annotations

import codecs
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote_plus, urljoin, urlsplit

__all__ = [
    "FetchFailed",
    "FetchPolicy",
    "FetchRefused",
    "FetchedImage",
    "FetchedPage",
    "USER_AGENT",
    "check_address",
    "fetch_image",
    "fetch_page",
    "normalize_url",
]

USER_AGENT = "ForumLinkPreview/1.0"
# Far beyond any real article link; keeps hostile input out of the parser.
MAX_URL_LENGTH = 4096

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchRefused(Exception):
    """The URL is not allowed to be fetched; ``str()`` is safe to show a member."""


class FetchFailed(Exception):
    """The fetch was allowed but did not produce usable content."""


@dataclass(frozen=True)
class FetchPolicy:
    """Limits applied to one fetch (all redirects included)."""

    allow_loopback: bool = False
    allowed_ports: frozenset[int] = frozenset({80, 443})
    connect_timeout: float = 5.0
    total_timeout: float = 10.0
    max_bytes: int = 2 * 1024 * 1024
    max_redirects: int = 3

    @classmethod
    def from_settings(cls) -> FetchPolicy:
        """Build the policy from Django settings, falling back to strict defaults."""
        from django.conf import settings

        # Outside a configured Django process (scripts, plain pytest) the strict
        # defaults are the only safe answer; reading settings would raise.
        if not settings.configured:
            return cls()
        allow_loopback = bool(getattr(settings, "NEWS_FETCH_ALLOW_LOOPBACK", False))
        ports = getattr(settings, "NEWS_FETCH_ALLOWED_PORTS", None)
        if ports is None:
            return cls(allow_loopback=allow_loopback)
        return cls(
            allow_loopback=allow_loopback,
            allowed_ports=frozenset(int(port) for port in ports),
        )


@dataclass(frozen=True)
class FetchedPage:
    """An HTML document fetched from ``url`` (after redirects, ``final_url``)."""

    url: str
    final_url: str
    status: int
    content_type: str
    text: str


@dataclass(frozen=True)
class FetchedImage:
    """A raster image; ``content_type`` is the type sniffed from the bytes."""

    final_url: str
    content_type: str
    data: bytes


# ---------------------------------------------------------------------------
# URL parsing and normalisation
# ---------------------------------------------------------------------------

_DEFAULT_PORTS = {"http": 80, "https": 443}

# Parameters that only identify the campaign or click that led to a link. Dropping
# them lets the same article shared from different places collapse into one URL.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "mc_cid",
        "mc_eid",
        "igshid",
        "igsh",
        "ref_src",
        "ref_url",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "__hstc",
        "__hssc",
        "__hsfp",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wt_mc",
        "cmpid",
    }
)
_TRACKING_PREFIXES = ("utm_",)

# Characters left alone when re-quoting; "%" is kept so existing escapes survive.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = "/%:@!$'()*+,;=-._~?"

_CONTROL_CHARS = re.compile(r"[\x00-\x20\x7f]")
_NETLOC = re.compile(r"(?P<host>\[[^\]]*\]|[^:\[\]]*)(?::(?P<port>[0-9]*))?")
_DNS_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_DECIMAL_OCTET = re.compile(r"0|[1-9][0-9]{0,2}")
# WHATWG URL parsing treats a host whose last label looks numeric as an IPv4
# address in any base; browsers and libraries disagree on those spellings, so we
# only accept the plain dotted-quad form.
_NUMERIC_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*")


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str
    port: int
    request_target: str
    ip_literal: IPAddress | None


def _parse_host(raw: str) -> tuple[str, IPAddress | None]:
    """Return the ASCII host name and, for IP literals, the parsed address."""
    if raw.startswith("["):
        inner = raw[1:-1]
        if "%" in inner:
            raise FetchRefused("That link uses an address that can't be fetched.")
        try:
            ip6 = ipaddress.IPv6Address(inner)
        except ValueError:
            raise FetchRefused("That link has an invalid address.") from None
        return ip6.compressed, ip6

    host = raw.lower()
    if not host:
        raise FetchRefused("That link has no host name.")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise FetchRefused("That link has an invalid host name.") from None
    # A single trailing dot marks an absolute DNS name; it names the same host.
    if host.endswith("."):
        host = host[:-1]
    labels = host.split(".")

    # Checked after IDNA encoding because nameprep folds full-width digits and
    # ideographic dots into ASCII, turning "１２７。０.０.１" into 127.0.0.1.
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        if len(labels) != 4 or not all(
            _DECIMAL_OCTET.fullmatch(part) and int(part) <= 255 for part in labels
        ):
            raise FetchRefused("That link uses an unusual numeric address.")
        return host, ipaddress.IPv4Address(host)

    if len(host) > 253 or not all(_DNS_LABEL.fullmatch(label) for label in labels):
        raise FetchRefused("That link has an invalid host name.")
    # Single-label names ("localhost", "intranet") only mean something on a
    # local network, never on the public web.
    if len(labels) < 2 or labels[-1] == "localhost":
        raise FetchRefused("That link doesn't point to a public website.")
    return host, None


def _filter_query(query: str) -> str:
    kept = []
    for piece in query.split("&"):
        if not piece:
            continue
        name = unquote_plus(piece.partition("=")[0]).strip().lower()
        if name in _TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES):
            continue
        kept.append(quote(piece, safe=_QUERY_SAFE))
    return "&".join(kept)


def _split_url(url: str) -> _Target:
    """Parse and validate ``url``; raise FetchRefused for anything unusual."""
    if not isinstance(url, str):
        raise FetchRefused("That doesn't look like a web address.")
    url = url.strip()
    if not url or _CONTROL_CHARS.search(url.replace(" ", "%20")):
        raise FetchRefused("That doesn't look like a web address.")
    if len(url) > MAX_URL_LENGTH:
        raise FetchRefused("That link is too long.")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise FetchRefused("That doesn't look like a web address.") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise FetchRefused("Only http and https links can be previewed.")
    netloc = parts.netloc
    if not netloc:
        raise FetchRefused("That link has no host name.")
    if "@" in netloc:
        raise FetchRefused("Links with a user name or password can't be previewed.")
    match = _NETLOC.fullmatch(netloc)
    if match is None:
        raise FetchRefused("That link has an invalid host name.")
    host, ip_literal = _parse_host(match["host"])

    port_text = match["port"]
    if port_text:
        port = int(port_text) if len(port_text) <= 5 else 0
        if not 0 < port < 65536:
            raise FetchRefused("That link has an invalid port number.")
    else:
        port = _DEFAULT_PORTS[scheme]

    path = quote(parts.path, safe=_PATH_SAFE) or "/"
    query = _filter_query(parts.query)
    request_target = f"{path}?{query}" if query else path

    url_host = f"[{host}]" if isinstance(ip_literal, ipaddress.IPv6Address) else host
    if port != _DEFAULT_PORTS[scheme]:
        url_host = f"{url_host}:{port}"
    normalized = f"{scheme}://{url_host}{request_target}"
    return _Target(normalized, scheme, host, port, request_target, ip_literal)


def normalize_url(url: str) -> str:
    """Return a canonical form of ``url`` for display, storage and de-duplication.

    The scheme and host are lower-cased (internationalised names IDNA-encoded),
    the default port and the fragment are dropped, and tracking parameters such
    as ``utm_*`` and ``fbclid`` are removed; other query parameters keep their
    order. Raises FetchRefused for non-http(s) or unparseable URLs.
    """
    return _split_url(url).url


# ---------------------------------------------------------------------------
# Address checks
# ---------------------------------------------------------------------------

_MSG_PRIVATE = "That address is on a private network."
_MSG_LOOPBACK = "That address points back at this server."
_MSG_RESERVED = "That address is reserved and can't be fetched."

# Special-purpose blocks from the IANA registries. is_private and friends miss
# some of these (and their coverage changes between Python releases), so the
# list is spelled out.
_BLOCKED_V4 = [
    (ipaddress.IPv4Network(net), message)
    for net, message in (
        ("0.0.0.0/8", _MSG_RESERVED),
        ("10.0.0.0/8", _MSG_PRIVATE),
        ("100.64.0.0/10", _MSG_PRIVATE),
        ("127.0.0.0/8", _MSG_LOOPBACK),
        ("169.254.0.0/16", _MSG_PRIVATE),
        ("172.16.0.0/12", _MSG_PRIVATE),
        ("192.0.0.0/24", _MSG_RESERVED),
        ("192.0.2.0/24", _MSG_RESERVED),
        ("192.88.99.0/24", _MSG_RESERVED),
        ("192.168.0.0/16", _MSG_PRIVATE),
        ("198.18.0.0/15", _MSG_RESERVED),
        ("198.51.100.0/24", _MSG_RESERVED),
        ("203.0.113.0/24", _MSG_RESERVED),
        ("224.0.0.0/4", _MSG_RESERVED),
        ("240.0.0.0/4", _MSG_RESERVED),
        ("255.255.255.255/32", _MSG_RESERVED),
    )
]

_BLOCKED_V6 = [
    (ipaddress.IPv6Network(net), message)
    for net, message in (
        ("::/128", _MSG_RESERVED),
        ("::1/128", _MSG_LOOPBACK),
        ("100::/64", _MSG_RESERVED),
        # Covers Teredo (2001::/32) as well as ORCHID, benchmarking and friends.
        ("2001::/23", _MSG_RESERVED),
        ("2001:db8::/32", _MSG_RESERVED),
        # The local-use NAT64 prefix may embed IPv4 at several offsets chosen by
        # the operator, so there is no single address to unwrap and check.
        ("64:ff9b:1::/48", _MSG_PRIVATE),
        ("fc00::/7", _MSG_PRIVATE),
        ("fe80::/10", _MSG_PRIVATE),
        ("fec0::/10", _MSG_PRIVATE),
        ("ff00::/8", _MSG_RESERVED),
    )
]

_V4_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
_V4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_NAT64_WKP = ipaddress.IPv6Network("64:ff9b::/96")
_SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")
_GLOBAL_UNICAST_V6 = ipaddress.IPv6Network("2000::/3")
_LOOPBACK_V4 = ipaddress.IPv4Network("127.0.0.0/8")
_LOOPBACK_V6 = ipaddress.IPv6Address("::1")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address carried by a transition-mechanism IPv6 address."""
    if ip in _V4_MAPPED or ip in _V4_COMPATIBLE or ip in _NAT64_WKP:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _SIX_TO_FOUR:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def _check_ipv4(ip: ipaddress.IPv4Address) -> None:
    for network, message in _BLOCKED_V4:
        if ip in network:
            raise FetchRefused(message)
    # Second line of defence in case the table above misses a block that the
    # standard library knows about.
    if not ip.is_global or ip.is_multicast or ip.is_reserved:
        raise FetchRefused(_MSG_RESERVED)


def check_address(ip: IPAddress | str, policy: FetchPolicy | None = None) -> None:
    """Raise FetchRefused unless ``ip`` is a public unicast address.

    IPv4-mapped, IPv4-compatible, NAT64, 6to4 and Teredo addresses are unwrapped
    and the embedded IPv4 address is checked as well. With
    ``policy.allow_loopback`` the loopback addresses 127.0.0.0/8 and ::1 (and
    only those) are accepted. ``policy`` defaults to the strict FetchPolicy().
    """
    policy = policy or FetchPolicy()
    if isinstance(ip, str):
        try:
            ip = ipaddress.ip_address(ip)
        except ValueError:
            raise FetchRefused("That link has an invalid address.") from None

    if policy.allow_loopback and (
        (isinstance(ip, ipaddress.IPv4Address) and ip in _LOOPBACK_V4)
        or ip == _LOOPBACK_V6
    ):
        return

    if isinstance(ip, ipaddress.IPv4Address):
        _check_ipv4(ip)
        return

    if ip.scope_id:
        raise FetchRefused(_MSG_PRIVATE)
    for network, message in _BLOCKED_V6:
        if ip in network:
            raise FetchRefused(message)
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        _check_ipv4(embedded)
        return
    # Every public IPv6 allocation lives in 2000::/3; anything else is reserved.
    if ip not in _GLOBAL_UNICAST_V6 or not ip.is_global:
        raise FetchRefused(_MSG_RESERVED)


def _connect_address(ip: IPAddress) -> IPAddress:
    """Return the address to dial: mapped IPv4 is dialled as plain IPv4."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _check_port(target: _Target, policy: FetchPolicy) -> None:
    if target.port not in policy.allowed_ports:
        ports = ", ".join(str(port) for port in sorted(policy.allowed_ports))
        raise FetchRefused(f"Only links on the standard web ports ({ports}) work.")


class _Deadline:
    """One time budget shared by every step of a fetch, redirects included."""

    def __init__(self, seconds: float) -> None:
        self.expires = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self.expires - time.monotonic()
        if left <= 0:
            raise FetchFailed("The website took too long to respond.")
        return left


def _lookup(host: str, port: int, deadline: _Deadline) -> list[tuple]:
    """socket.getaddrinfo bounded by the deadline.

    getaddrinfo has no timeout of its own and a slow resolver would stall the
    worker, so the lookup runs in a daemon thread that is abandoned on timeout.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["infos"] = socket.getaddrinfo(
                host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
            )
        except BaseException as exc:  # handed to the calling thread below
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="news-fetch-dns", daemon=True)
    worker.start()
    worker.join(deadline.remaining())
    if worker.is_alive():
        raise FetchFailed("Looking up that website's name took too long.")
    if "error" in outcome:
        error = outcome["error"]
        if isinstance(error, OSError | UnicodeError):
            raise FetchFailed("That website's name could not be found.") from error
        raise error
    return outcome["infos"]


def _resolve(
    target: _Target, policy: FetchPolicy, deadline: _Deadline
) -> list[IPAddress]:
    """Resolve the host once and return addresses that all passed the checks."""
    if target.ip_literal is not None:
        candidates: list[IPAddress] = [target.ip_literal]
    else:
        infos = _lookup(target.host, target.port, deadline)
        candidates = []
        for family, _type, _proto, _name, sockaddr in infos:
            if family not in (socket.AF_INET, socket.AF_INET6):
                continue
            try:
                candidates.append(ipaddress.ip_address(sockaddr[0]))
            except ValueError:
                message = "That website resolves to an invalid address."
                raise FetchRefused(message) from None
        if not candidates:
            raise FetchFailed("That website's name could not be found.")

    # Every address is checked, not just the one we would dial: the resolver's
    # ordering is not ours to trust, and mixing a public and a private answer is
    # a classic way to slip past a check.
    addresses: list[IPAddress] = []
    for ip in candidates:
        check_address(ip, policy)
        dial = _connect_address(ip)
        if dial not in addresses:
            addresses.append(dial)
    return addresses


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
    deadline: _Deadline,
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
class _Response:
    status: int
    media_type: str
    charset: str
    body: bytes


def _request_once(
    target: _Target,
    address: IPAddress,
    policy: FetchPolicy,
    deadline: _Deadline,
    accept: str,
    allowed_types: frozenset[str],
) -> _Response | str:
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
        return _Response(status, media_type, charset, body)
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


def _fetch(
    url: str,
    policy: FetchPolicy | None,
    accept: str,
    allowed_types: frozenset[str],
) -> tuple[_Target, _Target, _Response]:
    policy = policy or FetchPolicy.from_settings()
    deadline = _Deadline(policy.total_timeout)
    first = target = _split_url(url)
    redirects = 0
    while True:
        # Every hop is validated from scratch, exactly like the first URL.
        _check_port(target, policy)
        addresses = _resolve(target, policy, deadline)
        result: _Response | str | None = None
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
        if isinstance(result, _Response):
            return first, target, result
        assert isinstance(result, str)
        if redirects >= policy.max_redirects:
            raise FetchRefused("That link redirects too many times.")
        redirects += 1
        target = _split_url(urljoin(target.url, _decode_location(result)))


# ---------------------------------------------------------------------------
# Text decoding
# ---------------------------------------------------------------------------

_META_CHARSET = re.compile(
    rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([a-zA-Z0-9_:.\-]+)", re.IGNORECASE
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _try_decode(data: bytes, charset: str) -> str | None:
    if not charset:
        return None
    try:
        info = codecs.lookup(charset)
    except LookupError:
        return None
    try:
        return data.decode(info.name, errors="replace")
    except (LookupError, TypeError, ValueError):
        # Non-text codecs such as "base64" exist under codecs.lookup too.
        return None


def _decode_html(data: bytes, header_charset: str) -> str:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace")
    text = _try_decode(data, header_charset)
    if text is not None:
        return text
    match = _META_CHARSET.search(data[:4096])
    if match:
        sniffed = match.group(1).decode("ascii", errors="ignore")
        # A meta tag can't truthfully declare UTF-16: it could not be read as
        # ASCII if it were. Browsers take it to mean UTF-8, and so do we.
        if not sniffed.lower().startswith("utf-16"):
            text = _try_decode(data, sniffed)
            if text is not None:
                return text
    return data.decode("utf-8", errors="replace")


# ---------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_IMAGE_TYPES = frozenset(
    {"image/jpeg", "image/jpg", "image/pjpeg", "image/png", "image/gif", "image/webp"}
)


def _sniff_image(data: bytes) -> str:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return ""


def fetch_page(url: str, *, policy: FetchPolicy | None = None) -> FetchedPage:
    """Fetch an HTML page safely and return its decoded text.

    Raises FetchRefused when the URL (or any redirect) points somewhere we
    won't go, and FetchFailed for network, HTTP, size, time or content-type
    problems. ``policy`` defaults to FetchPolicy.from_settings().
    """
    first, final, response = _fetch(
        url,
        policy,
        "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
        _HTML_TYPES,
    )
    return FetchedPage(
        url=first.url,
        final_url=final.url,
        status=response.status,
        content_type=response.media_type,
        text=_decode_html(response.body, response.charset),
    )


def fetch_image(url: str, *, policy: FetchPolicy | None = None) -> FetchedImage:
    """Fetch a JPEG, PNG, GIF or WebP image safely.

    The declared Content-Type must be one of those formats and the bytes must
    carry a matching signature (SVG is never accepted: it can carry script).
    Raises FetchRefused or FetchFailed like fetch_page.
    """
    _, final, response = _fetch(
        url,
        policy,
        "image/webp,image/png,image/jpeg,image/gif;q=0.9",
        _IMAGE_TYPES,
    )
    sniffed = _sniff_image(response.body)
    if not sniffed:
        raise FetchFailed("That image isn't in a format we support.")
    return FetchedImage(final_url=final.url, content_type=sniffed, data=response.body)
