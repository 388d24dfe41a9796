"""The public fetches: an HTML page decoded to text, an image checked by its bytes."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from forum.news.fetcher.policy import FetchFailed, FetchPolicy
from forum.news.fetcher.transport import fetch


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
    first, final, response = fetch(
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
    _, final, response = fetch(
        url,
        policy,
        "image/webp,image/png,image/jpeg,image/gif;q=0.9",
        _IMAGE_TYPES,
    )
    sniffed = _sniff_image(response.body)
    if not sniffed:
        raise FetchFailed("That image isn't in a format we support.")
    return FetchedImage(final_url=final.url, content_type=sniffed, data=response.body)
