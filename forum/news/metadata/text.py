"""Small text helpers shared by every metadata source: whitespace, dates, URLs."""

from __future__ import annotations

import datetime
import email.utils
import html as html_lib
import re
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

# Never runs past the next "<": on text full of unclosed "<" an unbounded run
# would rescan to the end from every one of them.
_TAG_RE = re.compile(r"<[^<>]*>")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASH_DATE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")


def clean(value: Any) -> str:
    """Collapse whitespace in a string; anything else becomes ''."""
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())


def clean_markup(value: Any) -> str:
    """Like clean, for JSON-LD strings that may carry entities or tags."""
    text = clean(value)
    if not text:
        return ""
    if "<" in text:
        text = _TAG_RE.sub(" ", text)
    return clean(html_lib.unescape(text))


def truncate_words(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters on a word boundary, adding "…".

    The ellipsis counts towards the limit.
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    # Only back up to a space if it keeps a reasonable amount of text; a single
    # enormous "word" (a URL, say) is cut mid-word instead.
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-\u2013\u2014") + "\u2026"


def first(*values: str) -> str:
    for value in values:
        if value:
            return value
    return ""


def absolute_http_url(value: str, base_url: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        absolute = urljoin(base_url, value)
        parts = urlsplit(absolute)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return urlunsplit(parts._replace(fragment=""))


def host_name(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def comparable(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def parse_date(value: Any) -> datetime.date | None:
    """Read the calendar date from an ISO 8601 or RFC 2822 timestamp."""
    text = clean(value)
    if not text:
        return None
    # The date as the publisher wrote it, not converted to UTC: an article
    # from Karachi dated the 5th at 01:00 was published on the 5th there.
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for pattern in (_ISO_DATE, _SLASH_DATE):
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*(int(group) for group in match.groups()))
            except ValueError:
                return None
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.date() if parsed else None
