"""gzip for pages that hold no secret: guests' pages only.

BREACH: a page compressed over TLS leaks, through its length, a secret it
carries (a CSRF token, a session-bound value) to an attacker who can make the
victim's browser send requests that reflect text of the attacker's choosing
into the same page (a search query, a username in the URL). Members' pages
carry the CSRF token in every form (the logout button is on all of them) and
reflect input, so they go uncompressed. A guest's page (no session, messages or
CSRF cookie sent, no CSRF token put in the page, no cookie set by it) carries
no secret at all, so there is nothing to extract, and it is the page the many
see: the guest page cache stores it uncompressed and this middleware, outside
it, compresses on the way out. Static files are compressed by whitenoise ahead
of time (they hold no secrets either). Pages with a form for guests (log in,
sign up) carry a CSRF token: never compressed.

Compressing the same cached page again and again would cost more CPU than the
cache saves, so the last compressed bodies are kept by a digest of the page.
"""

import hashlib
import threading
from collections import OrderedDict

from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_string

_ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
_TYPES = (
    "text/html",
    "text/plain",
    "application/rss+xml",
    "application/xml",
    "text/xml",
    "application/json",
)
SECRET_COOKIES = ("sessionid", "messages", "csrftoken")
_MEMO_LIMIT = 128
_memo: OrderedDict[bytes, bytes] = OrderedDict()
_memo_lock = threading.Lock()


def holds_no_secret(request, response) -> bool:
    """Whether the response can have nothing in it worth stealing."""
    if any(name in request.COOKIES for name in SECRET_COOKIES):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or "CSRF_COOKIE" in request.META:
        return False  # a CSRF token was put in the page
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    return not getattr(request, "session", None) or not request.session.modified


def _compressed(content: bytes) -> bytes:
    digest = hashlib.blake2b(content, digest_size=16).digest()
    with _memo_lock:
        held = _memo.get(digest)
        if held is not None:
            _memo.move_to_end(digest)
            return held
    # Django's random-length filename field (the "Heal the Breach" padding) is
    # kept, although a guest page has nothing to protect.
    compressed = compress_string(content, max_random_bytes=100)
    with _memo_lock:
        _memo[digest] = compressed
        while len(_memo) > _MEMO_LIMIT:
            _memo.popitem(last=False)
    return compressed


class GuestGZipMiddleware:
    """The outermost middleware (outside the guest page cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.streaming
            or len(response.content) < 200
            or response.has_header("Content-Encoding")
            or not response.get("Content-Type", "").startswith(_TYPES)
            or not holds_no_secret(request, response)
        ):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = _compressed(response.content)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response["ETag"] = "W/" + etag
        response["Content-Encoding"] = "gzip"
        return response
