"""Which URLs, hosts and addresses may be fetched: the SSRF defence.

A URL is parsed strictly (odd host spellings, user info and numeric hosts in
unusual bases are refused), normalised, and its host resolved once with a
deadline; every address in the answer must be a public unicast address (or
loopback when the policy allows it for tests).  The transport then dials the
addresses returned here and nothing else.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote_plus, urlsplit

from forum.news.fetcher.policy import (
    Deadline,
    FetchFailed,
    FetchPolicy,
    FetchRefused,
    IPAddress,
)

# Far beyond any real article link; keeps hostile input out of the parser.
MAX_URL_LENGTH = 4096

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
class Target:
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


def split_url(url: str) -> Target:
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
    return Target(normalized, scheme, host, port, request_target, ip_literal)


def normalize_url(url: str) -> str:
    """Return a canonical form of ``url`` for display, storage and de-duplication.

    The scheme and host are lower-cased (internationalised names IDNA-encoded),
    the default port and the fragment are dropped, and tracking parameters such
    as ``utm_*`` and ``fbclid`` are removed; other query parameters keep their
    order. Raises FetchRefused for non-http(s) or unparseable URLs.
    """
    return split_url(url).url


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


def check_port(target: Target, policy: FetchPolicy) -> None:
    if target.port not in policy.allowed_ports:
        ports = ", ".join(str(port) for port in sorted(policy.allowed_ports))
        raise FetchRefused(f"Only links on the standard web ports ({ports}) work.")


# ---------------------------------------------------------------------------
# Resolution: one lookup per hop, every answer checked
# ---------------------------------------------------------------------------


def _lookup(host: str, port: int, deadline: Deadline) -> list[tuple]:
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


def resolve(target: Target, policy: FetchPolicy, deadline: Deadline) -> list[IPAddress]:
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
