"""Tests for the SSRF-hardened link fetcher.

Only 127.0.0.1 is ever contacted: an autouse fixture makes any DNS lookup or
any connection to another address fail the test loudly, so refusal tests prove
that the refusal came before the network was touched.
"""

import gzip
import io
import ipaddress
import socket
import time
import tracemalloc
import types
import zlib

import pytest
from PIL import Image

from forum.news import fetcher
from forum.news.fetcher import (
    FetchedImage,
    FetchedPage,
    FetchFailed,
    FetchPolicy,
    FetchRefused,
    check_address,
    fetch_image,
    fetch_page,
    normalize_url,
)
from forum.news.metadata import parse_article
from tests.news.article_server import ArticleServer, Route, html_route

ARTICLE_HTML = """<!doctype html>
<html><head>
<title>Senate passes budget | The Daily Ledger</title>
<meta property="og:title" content="Senate passes budget after marathon session">
<meta property="og:site_name" content="The Daily Ledger">
<meta property="og:image" content="/images/senate.jpg">
<meta property="og:description" content="Lawmakers approved the spending plan.">
<meta property="article:published_time" content="2024-06-14T22:10:00+05:00">
</head><body><article>
<p>ISLAMABAD: The Senate passed the budget late on Friday after a long debate.</p>
</article></body></html>"""


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------


class NetworkSpy:
    """Records DNS lookups and connections; refuses anything but loopback."""

    def __init__(self) -> None:
        self.lookups: list[str] = []
        self.connections: list[tuple[str, int]] = []
        self.answers: dict[str, list[str]] = {}

    def getaddrinfo(self, host, port, *args, **kwargs):
        self.lookups.append(host)
        if host not in self.answers:
            raise AssertionError(f"unexpected DNS lookup of {host!r}")
        infos = []
        for answer in self.answers[host]:
            ip = ipaddress.ip_address(answer)
            if ip.version == 4:
                infos.append(
                    (socket.AF_INET, socket.SOCK_STREAM, 6, "", (answer, port))
                )
            else:
                infos.append(
                    (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (answer, port, 0, 0))
                )
        return infos

    def create_connection(self, address, timeout=None, *args, **kwargs):
        host, port = address[0], address[1]
        self.connections.append((host, port))
        ip = ipaddress.ip_address(host)
        if not ip.is_loopback:
            raise AssertionError(f"test tried to connect to {host}")
        # Dial directly: socket.create_connection would call the patched
        # getaddrinfo, and the fetcher is expected to pass a literal anyway.
        family = socket.AF_INET if ip.version == 4 else socket.AF_INET6
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect((host, port))
        except BaseException:
            sock.close()
            raise
        return sock


@pytest.fixture(autouse=True)
def network(monkeypatch):
    spy = NetworkSpy()
    monkeypatch.setattr(socket, "getaddrinfo", spy.getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", spy.create_connection)
    return spy


@pytest.fixture
def server():
    with ArticleServer() as running:
        yield running


@pytest.fixture(scope="module")
def gzip_bomb():
    """About 64 KB of gzip that inflates to 64 MB of zeros."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    parts = [compressor.compress(zeros) for _ in range(64)]
    parts.append(compressor.flush())
    return b"".join(parts)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# normalize_url
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "HTTP://Example.COM/Path?utm_source=x&id=5&fbclid=abc#section",
            "http://example.com/Path?id=5",
        ),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com", "http://example.com/"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com:80/a", "https://example.com:80/a"),
        (
            "https://example.com/a?b=2&utm_medium=social&a=1&gclid=1&mc_cid=2"
            "&mc_eid=3&igshid=4&ref_src=5&_ga=6&UTM_Campaign=7",
            "https://example.com/a?b=2&a=1",
        ),
        ("https://example.com/a?utm_source=x", "https://example.com/a"),
        ("https://example.com/a?", "https://example.com/a"),
        ("https://example.com/?q=a%20b&page=2", "https://example.com/?q=a%20b&page=2"),
        ("https://example.com/?z=1&a=2&m=3", "https://example.com/?z=1&a=2&m=3"),
        ("  https://example.com/a b  ", "https://example.com/a%20b"),
        ("https://example.com./news", "https://example.com/news"),
        ("https://bücher.example/straße", "https://xn--bcher-kva.example/stra%C3%9Fe"),
        ("http://[2001:DB8::1]:8080/", "http://[2001:db8::1]:8080/"),
        ("http://93.184.216.34/x#y", "http://93.184.216.34/x"),
    ],
)
def test_normalize_url(raw, expected):
    assert normalize_url(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "not a url",
        "example.com/news",
        "ftp://example.com/file",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,hello",
        "http://",
        "http:///path",
        "http://user:secret@example.com/",
        "http://example.com:99999/",
        "http://example.com:abc/",
        "http://example.com:0/",
        "http://example.com:" + "8" * 5000 + "/",
        "https://example.com/" + "a" * 5000,
        "http://exa mple.com/",
        "http://example.com/\nHost: evil",
        "http://2130706433/",
        "http://[::1%25eth0]/",
        "http://[not-an-ip]/",
    ],
)
def test_normalize_url_refuses(raw):
    with pytest.raises(FetchRefused):
        normalize_url(raw)


# ---------------------------------------------------------------------------
# Address checks
# ---------------------------------------------------------------------------

REFUSED_URLS = [
    # IPv4 special-purpose ranges.
    "http://0.0.0.0/",
    "http://0.1.2.3/",
    "http://10.0.0.1/",
    "http://10.255.255.254/",
    "http://100.64.0.1/",
    "http://100.127.255.254/",
    "http://127.0.0.1/",
    "http://127.255.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://172.16.0.1/",
    "http://172.31.255.254/",
    "http://192.0.0.8/",
    "http://192.0.2.1/",
    "http://192.88.99.1/",
    "http://192.168.1.1/",
    "http://198.18.0.1/",
    "http://198.19.255.1/",
    "http://198.51.100.7/",
    "http://203.0.113.9/",
    "http://224.0.0.1/",
    "http://239.255.255.250/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    # IPv6 special-purpose ranges and IPv4 smuggled inside IPv6.
    "http://[::]/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://[::127.0.0.1]/",
    "http://[64:ff9b::7f00:1]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[64:ff9b:1::808:808]/",
    "http://[100::1]/",
    "http://[2001::1]/",
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
    "http://[2001:db8::1]/",
    "http://[2002:7f00:1::]/",
    "http://[2002:a00:1::1]/",
    "http://[2002:c0a8:101::1]/",
    "http://[fc00::1]/",
    "http://[fd12:3456:789a::1]/",
    "http://[fe80::1]/",
    "http://[fec0::1]/",
    "http://[ff02::1]/",
    "http://[4000::1]/",
    # Numeric hosts in spellings that resolvers read differently.
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0x7f.1/",
    "http://0x7f.0.0.1/",
    "http://127.1/",
    "http://127.0.1/",
    "http://0177.0.0.1/",
    "http://127.0.0.01/",
    "http://1.2.3.4.5/",
    "http://127.0.0.1./",
    "http://\uff11\uff12\uff17\u3002\uff10.\uff10.\uff11/",
    "http://%31%32%37.0.0.1/",
    # User info, odd host names, ports and schemes.
    "http://user@example.com/",
    "http://user:pass@example.com/",
    "http://example.com@127.0.0.1/",
    "http://example.com\\@127.0.0.1/",
    "http://localhost/",
    "http://api.localhost/",
    "http://intranet/",
    "http://exa_mple.com/",
    "http://-bad-.example.com/",
    "http://example.com:22/",
    "http://example.com:6379/",
    "https://example.com:8443/",
    "ftp://example.com/",
    "file:///etc/passwd",
    "gopher://example.com:70/",
    "dict://example.com:11211/",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_refused_before_any_network_access(url, network):
    with pytest.raises(FetchRefused) as excinfo:
        fetch_page(url, policy=FetchPolicy())
    assert str(excinfo.value)
    assert network.lookups == []
    assert network.connections == []


def test_refused_table_is_big_enough():
    assert len(REFUSED_URLS) >= 40


@pytest.mark.parametrize(
    "address",
    [
        "0.0.0.0",
        "10.1.2.3",
        "100.64.0.1",
        "127.0.0.1",
        "169.254.169.254",
        "172.20.0.1",
        "192.0.0.1",
        "192.0.2.200",
        "192.88.99.2",
        "192.168.0.1",
        "198.18.5.5",
        "198.51.100.1",
        "203.0.113.1",
        "224.0.0.251",
        "240.1.1.1",
        "255.255.255.255",
        "::",
        "::1",
        "::ffff:127.0.0.1",
        "::ffff:192.168.0.1",
        "64:ff9b::7f00:1",
        "64:ff9b::a00:1",
        "64:ff9b:1::1",
        "100::dead",
        "2001::1",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        "2001:db8:1::1",
        "2002:7f00:1::",
        "2002:a9fe:a9fe::1",
        "fc00::1",
        "fdff::1",
        "fe80::1",
        "ff02::1",
        "::ffff:0:0",
    ],
)
def test_check_address_refuses_special_ranges(address):
    with pytest.raises(FetchRefused):
        check_address(ipaddress.ip_address(address), FetchPolicy())


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "1.1.1.1",
        "93.184.216.34",
        "2606:4700:4700::1111",
        "2a00:1450:4001:80b::200e",
        # Transition forms wrapping a public IPv4 address are fine.
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1",
    ],
)
def test_check_address_accepts_public(address):
    check_address(ipaddress.ip_address(address), FetchPolicy())


def test_allow_loopback_permits_only_loopback():
    lenient = FetchPolicy(allow_loopback=True)
    check_address(ipaddress.ip_address("127.0.0.1"), lenient)
    check_address(ipaddress.ip_address("127.8.9.10"), lenient)
    check_address(ipaddress.ip_address("::1"), lenient)
    for other in ("10.0.0.1", "169.254.169.254", "0.0.0.0", "fe80::1", "fc00::1"):
        with pytest.raises(FetchRefused):
            check_address(ipaddress.ip_address(other), lenient)
    # Loopback dressed up as IPv6 stays refused: only the plain forms are exempt.
    with pytest.raises(FetchRefused):
        check_address(ipaddress.ip_address("::ffff:127.0.0.1"), lenient)


def test_loopback_refused_by_default(server):
    server.add("/", html_route(ARTICLE_HTML))
    strict = FetchPolicy(allowed_ports=frozenset({server.port}))
    with pytest.raises(FetchRefused, match="this server"):
        fetch_page(server.url("/"), policy=strict)
    assert server.requests == []


def test_default_policy_refuses_the_test_server(server):
    # Without an explicit policy the settings (or strict defaults) apply, and
    # they never allow a random loopback port.
    server.add("/", html_route(ARTICLE_HTML))
    with pytest.raises(FetchRefused):
        fetch_page(server.url("/"))
    assert server.requests == []


def test_port_must_be_allowed(server):
    server.add("/", html_route(ARTICLE_HTML))
    policy = FetchPolicy(allow_loopback=True, allowed_ports=frozenset({80, 443}))
    with pytest.raises(FetchRefused, match="ports"):
        fetch_page(server.url("/"), policy=policy)
    assert server.requests == []


# ---------------------------------------------------------------------------
# Policy
# ---------------------------------------------------------------------------


def test_policy_defaults():
    policy = FetchPolicy()
    assert policy.allow_loopback is False
    assert policy.allowed_ports == frozenset({80, 443})
    assert policy.connect_timeout == 5.0
    assert policy.total_timeout == 10.0
    assert policy.max_bytes == 2 * 1024 * 1024
    assert policy.max_redirects == 3


def test_policy_from_settings(monkeypatch):
    import django.conf

    fake = types.SimpleNamespace(
        configured=True,
        NEWS_FETCH_ALLOW_LOOPBACK=True,
        NEWS_FETCH_ALLOWED_PORTS=[8080, 443],
    )
    monkeypatch.setattr(django.conf, "settings", fake)
    policy = FetchPolicy.from_settings()
    assert policy.allow_loopback is True
    assert policy.allowed_ports == frozenset({8080, 443})


def test_policy_from_settings_defaults(monkeypatch):
    import django.conf

    monkeypatch.setattr(django.conf, "settings", types.SimpleNamespace(configured=True))
    assert FetchPolicy.from_settings() == FetchPolicy()
    unconfigured = types.SimpleNamespace(configured=False)
    monkeypatch.setattr(django.conf, "settings", unconfigured)
    assert FetchPolicy.from_settings() == FetchPolicy()


# ---------------------------------------------------------------------------
# Fetching pages
# ---------------------------------------------------------------------------


def test_fetch_page_with_opengraph(server):
    server.add("/story", html_route(ARTICLE_HTML))
    page = fetch_page(server.url("/story?utm_source=tw&id=3"), policy=server.policy())
    assert isinstance(page, FetchedPage)
    assert page.url == server.url("/story?id=3")
    assert page.final_url == page.url
    assert page.status == 200
    assert page.content_type == "text/html"
    assert "Senate passes budget" in page.text

    meta = parse_article(page.text, base_url=page.final_url)
    assert meta.headline == "Senate passes budget after marathon session"
    assert meta.publication == "The Daily Ledger"
    assert meta.image_url == server.url("/images/senate.jpg")
    assert meta.published is not None and meta.published.isoformat() == "2024-06-14"
    assert meta.dateline == "Islamabad"


def test_request_headers(server, network):
    server.add("/", html_route("<p>hi</p>"))
    fetch_page(server.url("/"), policy=server.policy())
    (request,) = server.requests
    assert request.path == "/"
    assert request.headers["host"] == f"127.0.0.1:{server.port}"
    assert request.headers["user-agent"] == "ForumLinkPreview/1.0"
    assert "text/html" in request.headers["accept"]
    assert network.connections == [("127.0.0.1", server.port)]


def test_fetch_page_json_ld_only(server):
    html = """<html><head><script type="application/ld+json">
    {"@context": "https://schema.org", "@type": "NewsArticle",
     "headline": "Court rules on election petition",
     "author": [{"@type": "Person", "name": "Ayesha Khan"}],
     "datePublished": "2024-02-01T09:00:00Z",
     "publisher": {"@type": "Organization", "name": "Capital Times"},
     "image": "https://cdn.example.org/court.jpg",
     "description": "The bench reserved its judgment."}
    </script></head><body></body></html>"""
    server.add("/ld", html_route(html))
    page = fetch_page(server.url("/ld"), policy=server.policy())
    meta = parse_article(page.text, base_url=page.final_url)
    assert meta.headline == "Court rules on election petition"
    assert meta.author == "Ayesha Khan"
    assert meta.publication == "Capital Times"
    assert meta.image_url == "https://cdn.example.org/court.jpg"
    assert meta.excerpt == "The bench reserved its judgment."


def test_fetch_page_without_metadata(server):
    html = (
        "<html><head><title>Plain page</title></head><body>"
        "<p>The first paragraph has enough words to count as text.</p>"
        "<p>The second paragraph also has enough words in it.</p></body></html>"
    )
    server.add("/plain", html_route(html))
    page = fetch_page(server.url("/plain"), policy=server.policy())
    meta = parse_article(page.text, base_url=page.final_url)
    assert meta.headline == "Plain page"
    assert meta.excerpt.startswith("The first paragraph has enough words")
    assert meta.publication == "127.0.0.1"


def test_fetch_page_broken_html(server):
    html = b"<html><head><title>Broken<body><p>Unclosed <b>tags <i>everywhere\xff\xfe"
    server.add("/broken", Route(headers=[("Content-Type", "text/html")], body=html))
    page = fetch_page(server.url("/broken"), policy=server.policy())
    assert "\ufffd" in page.text
    meta = parse_article(page.text, base_url=page.final_url)
    assert meta.publication == "127.0.0.1"


@pytest.mark.parametrize("content_type", ["application/xhtml+xml", "TEXT/HTML"])
def test_fetch_page_accepts_html_types(server, content_type):
    server.add("/x", Route(headers=[("Content-Type", content_type)], body=b"<p>x</p>"))
    page = fetch_page(server.url("/x"), policy=server.policy())
    assert page.content_type == content_type.lower()


@pytest.mark.parametrize(
    "headers",
    [
        [("Content-Type", "application/json")],
        [("Content-Type", "application/pdf")],
        [("Content-Type", "image/png")],
        [("Content-Type", "text/plain")],
        [],
    ],
)
def test_non_html_content_fails(server, headers):
    server.add("/data", Route(headers=headers, body=b'{"a": 1}'))
    with pytest.raises(FetchFailed, match="web page"):
        fetch_page(server.url("/data"), policy=server.policy())


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_http_errors_fail(server, status):
    server.add("/gone", html_route("<p>nope</p>", status=status))
    with pytest.raises(FetchFailed, match=str(status)):
        fetch_page(server.url("/gone"), policy=server.policy())


# ---------------------------------------------------------------------------
# Character sets
# ---------------------------------------------------------------------------


def test_charset_from_header(server):
    server.add("/l1", html_route("<p>Café Zürich</p>", charset="iso-8859-1"))
    page = fetch_page(server.url("/l1"), policy=server.policy())
    assert "Café Zürich" in page.text


def test_charset_from_meta_tag(server):
    html = '<html><head><meta charset="windows-1251"></head><p>Привет</p></html>'
    body = html.encode("windows-1251")
    server.add("/ru", Route(headers=[("Content-Type", "text/html")], body=body))
    page = fetch_page(server.url("/ru"), policy=server.policy())
    assert "Привет" in page.text


def test_charset_from_http_equiv(server):
    html = (
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        "<p>naïve</p>"
    )
    body = html.encode("iso-8859-1")
    server.add("/he", Route(headers=[("Content-Type", "text/html")], body=body))
    assert "naïve" in fetch_page(server.url("/he"), policy=server.policy()).text


def test_unknown_charset_falls_back_to_utf8(server):
    body = "<p>Ünïcode</p>".encode()
    headers = [("Content-Type", "text/html; charset=no-such-charset")]
    server.add("/u", Route(headers=headers, body=body))
    assert "Ünïcode" in fetch_page(server.url("/u"), policy=server.policy()).text


def test_utf8_bom_wins(server):
    body = b"\xef\xbb\xbf" + "<p>Ω</p>".encode()
    headers = [("Content-Type", "text/html; charset=iso-8859-1")]
    server.add("/bom", Route(headers=headers, body=body))
    assert fetch_page(server.url("/bom"), policy=server.policy()).text == "<p>Ω</p>"


# ---------------------------------------------------------------------------
# Size limits and compression
# ---------------------------------------------------------------------------


def test_huge_body_with_content_length(server):
    body = b"<p>" + b"a" * (3 * 1024 * 1024)
    server.add("/huge", Route(headers=[("Content-Type", "text/html")], body=body))
    with pytest.raises(FetchFailed, match="too large"):
        fetch_page(server.url("/huge"), policy=server.policy())


def test_huge_streamed_body_without_length(server):
    def endless():
        chunk = b"<p>" + b"x" * 65536
        for _ in range(100):  # 6.5 MB, never fully read
            yield chunk

    server.add(
        "/stream", Route(headers=[("Content-Type", "text/html")], chunks=endless)
    )
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="too large"):
        fetch_page(server.url("/stream"), policy=server.policy())
    assert time.monotonic() - started < 5


def test_body_limit_is_exact(server):
    html = {"/ok": b"a" * 1000, "/over": b"a" * 1001}
    for path, body in html.items():
        server.add(path, Route(headers=[("Content-Type", "text/html")], body=body))
    policy = server.policy(max_bytes=1000)
    assert len(fetch_page(server.url("/ok"), policy=policy).text) == 1000
    with pytest.raises(FetchFailed):
        fetch_page(server.url("/over"), policy=policy)


def test_gzip_page_is_decoded(server):
    body = gzip.compress(ARTICLE_HTML.encode())
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
    server.add("/gz", Route(headers=headers, body=body))
    assert fetch_page(server.url("/gz"), policy=server.policy()).text == ARTICLE_HTML


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS])
def test_deflate_page_is_decoded(server, wbits):
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = compressor.compress(ARTICLE_HTML.encode()) + compressor.flush()
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "deflate")]
    server.add("/df", Route(headers=headers, body=body))
    assert fetch_page(server.url("/df"), policy=server.policy()).text == ARTICLE_HTML


def test_gzip_bomb_is_stopped_quickly(server, gzip_bomb):
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
    server.add("/bomb", Route(headers=headers, body=gzip_bomb))
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(FetchFailed, match="too large"):
            fetch_page(server.url("/bomb"), policy=server.policy())
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 3
    # The bomb inflates to 64 MB; the fetcher must stop near the 2 MB cap.
    assert peak < 16 * 1024 * 1024


def test_gzip_bomb_image_is_stopped(server, gzip_bomb):
    headers = [("Content-Type", "image/png"), ("Content-Encoding", "gzip")]
    server.add("/bomb.png", Route(headers=headers, body=gzip_bomb))
    with pytest.raises(FetchFailed, match="too large"):
        fetch_image(server.url("/bomb.png"), policy=server.policy())


@pytest.mark.parametrize("encoding", ["br", "compress", "zstd", "gzip, gzip"])
def test_unsupported_encoding_fails(server, encoding):
    headers = [("Content-Type", "text/html"), ("Content-Encoding", encoding)]
    server.add("/enc", Route(headers=headers, body=b"\x00\x01\x02"))
    with pytest.raises(FetchFailed, match="compression"):
        fetch_page(server.url("/enc"), policy=server.policy())


def test_corrupt_gzip_fails(server):
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
    server.add("/bad", Route(headers=headers, body=b"\x1f\x8bnot really gzip"))
    with pytest.raises(FetchFailed, match="corrupt"):
        fetch_page(server.url("/bad"), policy=server.policy())


# ---------------------------------------------------------------------------
# Time limits
# ---------------------------------------------------------------------------


def test_slow_response_times_out(server):
    server.add("/slow", html_route("<p>late</p>", delay=5))
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="too long"):
        fetch_page(server.url("/slow"), policy=server.policy(total_timeout=1))
    assert time.monotonic() - started < 3


def test_slow_drip_body_times_out(server):
    # 200 bytes at one byte per 100 ms: every read succeeds, the total doesn't.
    server.add(
        "/drip",
        html_route("<p>" + "x" * 200 + "</p>", drip_interval=0.1, drip_size=1),
    )
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="too long"):
        fetch_page(server.url("/drip"), policy=server.policy(total_timeout=1))
    assert time.monotonic() - started < 3


def test_slow_drip_headers_time_out(server):
    server.add("/hdrip", html_route("<p>x</p>", drip_headers=True, drip_interval=0.1))
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="too long"):
        fetch_page(server.url("/hdrip"), policy=server.policy(total_timeout=1))
    assert time.monotonic() - started < 3


def test_deadline_spans_redirects(server):
    # Each hop is quick on its own; together they exceed the deadline.
    for index in range(3):
        server.add(
            f"/hop{index}",
            Route(status=302, headers=[("Location", f"/hop{index + 1}")], delay=0.4),
        )
    server.add("/hop3", html_route("<p>end</p>", delay=0.4))
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="too long"):
        fetch_page(server.url("/hop0"), policy=server.policy(total_timeout=1))
    assert time.monotonic() - started < 3


# ---------------------------------------------------------------------------
# Redirects
# ---------------------------------------------------------------------------


def redirect(location: str, status: int = 302) -> Route:
    return Route(status=status, headers=[("Location", location)])


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_each_redirect_status_is_followed(server, status):
    server.add("/old", redirect("/new", status))
    server.add("/new", html_route("<p>moved</p>"))
    page = fetch_page(server.url("/old"), policy=server.policy())
    assert page.final_url == server.url("/new")
    assert page.url == server.url("/old")
    assert server.paths() == ["/old", "/new"]


def test_redirect_chain_within_limit(server):
    server.add("/a", redirect("/b"))
    server.add("/b", redirect(server.url("/c?utm_source=x&keep=1")))
    server.add("/c", redirect("d/../final"))
    server.add("/final", html_route("<p>done</p>"))
    page = fetch_page(server.url("/a"), policy=server.policy())
    assert page.final_url == server.url("/final")
    assert server.paths() == ["/a", "/b", "/c?keep=1", "/final"]


def test_redirect_chain_beyond_limit(server):
    for name, target in [("/1", "/2"), ("/2", "/3"), ("/3", "/4"), ("/4", "/5")]:
        server.add(name, redirect(target))
    server.add("/5", html_route("<p>never</p>"))
    with pytest.raises(FetchRefused, match="redirects"):
        fetch_page(server.url("/1"), policy=server.policy())
    assert server.paths() == ["/1", "/2", "/3", "/4"]


def test_redirect_loop_is_refused(server):
    server.add("/loop", redirect("/loop"))
    with pytest.raises(FetchRefused):
        fetch_page(server.url("/loop"), policy=server.policy())
    assert len(server.paths()) == 4


def test_redirect_without_location_fails(server):
    server.add("/nowhere", Route(status=302))
    with pytest.raises(FetchFailed):
        fetch_page(server.url("/nowhere"), policy=server.policy())


@pytest.mark.parametrize(
    "location",
    [
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[::ffff:169.254.169.254]/",
        "http://[fd00::1]/",
        "http://2130706433/",
        "http://metadata@127.0.0.1/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_FLUSHALL",
    ],
)
def test_redirect_to_forbidden_address_is_refused(server, network, location):
    server.add("/go", redirect(location))
    with pytest.raises(FetchRefused):
        fetch_page(server.url("/go"), policy=server.policy())
    assert server.paths() == ["/go"]
    assert network.connections == [("127.0.0.1", server.port)]
    assert network.lookups == []


def test_redirect_to_other_port_is_refused(server, network):
    server.add("/go", redirect("http://127.0.0.1:22/"))
    with pytest.raises(FetchRefused, match="ports"):
        fetch_page(server.url("/go"), policy=server.policy())
    assert network.connections == [("127.0.0.1", server.port)]


def test_redirect_to_name_resolving_privately_is_refused(server, network):
    network.answers["metadata.example.net"] = ["169.254.169.254"]
    server.add("/go", redirect(f"http://metadata.example.net:{server.port}/"))
    with pytest.raises(FetchRefused, match="private"):
        fetch_page(server.url("/go"), policy=server.policy())
    assert network.lookups == ["metadata.example.net"]
    assert network.connections == [("127.0.0.1", server.port)]


# ---------------------------------------------------------------------------
# DNS: resolve once, check every answer, connect to what was checked
# ---------------------------------------------------------------------------


def test_dns_name_is_resolved_once_and_pinned(server, network, monkeypatch):
    answers = iter([["127.0.0.1"], ["10.0.0.1"], ["10.0.0.1"]])

    def rebinding(host, port, *args, **kwargs):
        # A rebinding resolver: harmless the first time, private afterwards.
        network.answers[host] = next(answers)
        return network.getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    server.add("/", html_route("<p>pinned</p>"))
    page = fetch_page(f"http://news.example.com:{server.port}/", policy=server.policy())
    assert "pinned" in page.text
    assert network.lookups == ["news.example.com"]
    assert network.connections == [("127.0.0.1", server.port)]
    (request,) = server.requests
    assert request.headers["host"] == f"news.example.com:{server.port}"


def test_every_dns_answer_is_checked(server, network):
    network.answers["mixed.example.com"] = ["127.0.0.1", "10.1.2.3"]
    with pytest.raises(FetchRefused, match="private"):
        fetch_page(f"http://mixed.example.com:{server.port}/", policy=server.policy())
    assert network.lookups == ["mixed.example.com"]
    assert network.connections == []


def test_dns_answer_private_is_refused_under_default_policy(network):
    network.answers["intranet.example.com"] = ["192.168.10.5"]
    with pytest.raises(FetchRefused):
        fetch_page("http://intranet.example.com/", policy=FetchPolicy())
    assert network.lookups == ["intranet.example.com"]
    assert network.connections == []


def test_dns_answer_mapped_loopback_is_refused(server, network):
    network.answers["sneaky.example.com"] = ["::ffff:127.0.0.1"]
    with pytest.raises(FetchRefused):
        fetch_page(f"http://sneaky.example.com:{server.port}/", policy=server.policy())
    assert network.connections == []


def test_dns_failure_fails(network, monkeypatch):
    def broken(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", broken)
    with pytest.raises(FetchFailed, match="could not be found"):
        fetch_page("http://no-such-host.example.com/", policy=FetchPolicy())
    assert network.connections == []


def test_slow_dns_counts_against_the_deadline(network, monkeypatch):
    def slow(*args, **kwargs):
        time.sleep(3)
        raise AssertionError("the lookup result must not be used")

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="too long"):
        fetch_page(
            "http://slow-dns.example.com/", policy=FetchPolicy(total_timeout=0.5)
        )
    assert time.monotonic() - started < 2
    assert network.connections == []


def test_unicode_host_is_idna_encoded_before_lookup(server, network):
    network.answers["xn--bcher-kva.example"] = ["127.0.0.1"]
    server.add("/", html_route("<p>ok</p>"))
    fetch_page(f"http://bücher.example:{server.port}/", policy=server.policy())
    assert network.lookups == ["xn--bcher-kva.example"]
    assert server.requests[0].headers["host"] == f"xn--bcher-kva.example:{server.port}"


def test_next_address_tried_when_connect_fails(server, network):
    # The server listens on 127.0.0.1 only, so 127.0.0.2 refuses the connection.
    network.answers["multi.example.com"] = ["127.0.0.2", "127.0.0.1"]
    server.add("/", html_route("<p>second</p>"))
    page = fetch_page(
        f"http://multi.example.com:{server.port}/", policy=server.policy()
    )
    assert "second" in page.text
    assert network.lookups == ["multi.example.com"]
    assert network.connections == [
        ("127.0.0.2", server.port),
        ("127.0.0.1", server.port),
    ]


def test_connection_refused_fails(network):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    policy = FetchPolicy(allow_loopback=True, allowed_ports=frozenset({port}))
    with pytest.raises(FetchFailed, match="connect"):
        fetch_page(f"http://127.0.0.1:{port}/", policy=policy)


def test_https_against_plain_http_fails_cleanly(server):
    server.add("/", html_route("<p>not tls</p>"))
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="secure connection"):
        fetch_page(
            f"https://127.0.0.1:{server.port}/", policy=server.policy(total_timeout=2)
        )
    assert time.monotonic() - started < 4


# ---------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------


def test_fetch_image(server):
    data = png_bytes()
    server.add("/pic.png", Route(headers=[("Content-Type", "image/png")], body=data))
    image = fetch_image(server.url("/pic.png"), policy=server.policy())
    assert isinstance(image, FetchedImage)
    assert image.final_url == server.url("/pic.png")
    assert image.content_type == "image/png"
    assert image.data == data


def test_fetch_image_reports_sniffed_type(server):
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="JPEG")
    # Mislabelled by the CDN: the bytes decide.
    server.add(
        "/pic", Route(headers=[("Content-Type", "image/png")], body=buffer.getvalue())
    )
    assert fetch_image(server.url("/pic"), policy=server.policy()).content_type == (
        "image/jpeg"
    )


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/html", b"<html></html>"),
        ("image/svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("application/octet-stream", b"\x89PNG\r\n\x1a\n"),
        ("image/png", b"<html>not a png</html>"),
        ("image/tiff", b"II*\x00"),
    ],
)
def test_fetch_image_wrong_type(server, content_type, body):
    server.add("/img", Route(headers=[("Content-Type", content_type)], body=body))
    with pytest.raises(FetchFailed):
        fetch_image(server.url("/img"), policy=server.policy())


def test_fetch_image_too_large(server):
    body = png_bytes() + b"\x00" * 5000
    server.add("/big.png", Route(headers=[("Content-Type", "image/png")], body=body))
    with pytest.raises(FetchFailed, match="too large"):
        fetch_image(server.url("/big.png"), policy=server.policy(max_bytes=4096))


def test_fetch_image_follows_redirect_checks(server, network):
    server.add("/img", redirect("http://192.168.0.10/pic.png"))
    with pytest.raises(FetchRefused):
        fetch_image(server.url("/img"), policy=server.policy())
    assert network.connections == [("127.0.0.1", server.port)]


def test_module_exports():
    for name in fetcher.__all__:
        assert hasattr(fetcher, name)
