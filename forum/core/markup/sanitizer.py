"""The allow-list every rendered post passes through (layer 2 of the renderer).

The parser only ever emits markup from this list, but the list is enforced
again here with bleach, so a bug in the parser still cannot produce an element,
attribute or URL scheme outside it.  Attribute values are judged
by predicates on what the browser will see.  Registered tags (see registry)
add their own classes, data-* attributes and links to paths on this site;
nothing else can widen the list.
"""

from __future__ import annotations

import html
import re
import threading

import bleach

from forum.core.markup import registry
from forum.core.markup.tags import (
    LINK_REL,
    YOUTUBE_EMBED_PREFIX,
    mentions_script_scheme,
)

__all__ = ["cleaner"]

_ALLOWED_TAGS = frozenset(
    {
        "a",
        "blockquote",
        "br",
        "code",
        "details",
        "div",
        "em",
        "iframe",
        "img",
        "li",
        "ol",
        "pre",
        "s",
        "span",
        "strong",
        "summary",
        "u",
        "ul",
    }
)
_ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_EMBED_SRC_RE = re.compile(re.escape(YOUTUBE_EMBED_PREFIX) + r"[A-Za-z0-9_-]{11}")
_HTTP_URL_RE = re.compile(r"https?://[^\s\"'<>`\\]+", re.IGNORECASE)
_MAILTO_RE = re.compile(r"mailto:[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+", re.IGNORECASE)
_QUOTE_LINK_RE = re.compile(r"/posts/\d{1,18}/")
_DIGITS_RE = re.compile(r"\d{1,18}")
_CLASS_TOKEN_RE = re.compile(r"[a-z0-9-]{1,40}")


def _class_ok(value: str) -> bool:
    # bb-* classes are core's own; others only as registered tags declare them.
    extra = registry.registered_classes()
    tokens = value.split()
    return bool(tokens) and all(
        _CLASS_TOKEN_RE.fullmatch(t) and (t.startswith("bb-") or t in extra)
        for t in tokens
    )


def _fixed(*values: str):
    allowed = frozenset(values)
    return lambda value: value in allowed


def _digits(value: str) -> bool:
    return bool(_DIGITS_RE.fullmatch(value))


def _href_ok(value: str) -> bool:
    if mentions_script_scheme(value):
        return False
    return bool(
        _HTTP_URL_RE.fullmatch(value)
        or _MAILTO_RE.fullmatch(value)
        or _QUOTE_LINK_RE.fullmatch(value)
    )


# Per tag: attribute name -> predicate on the (entity-decoded) value.
_ATTRIBUTE_RULES: dict[str, dict[str, object]] = {
    "a": {
        "href": _href_ok,
        "class": _class_ok,
        "rel": _fixed(LINK_REL),
        "target": _fixed("_blank"),
    },
    "blockquote": {
        "class": _class_ok,
        "data-quote-post": _digits,
        "data-quote-member": _digits,
    },
    "code": {"class": _class_ok},
    "details": {"class": _class_ok},
    "div": {"class": _class_ok},
    "iframe": {
        "src": lambda v: bool(_EMBED_SRC_RE.fullmatch(v)),
        "title": lambda v: len(v) <= 100,
        "loading": _fixed("lazy"),
        "allowfullscreen": _fixed("", "allowfullscreen"),
        "referrerpolicy": _fixed("strict-origin-when-cross-origin"),
        "allow": _fixed("encrypted-media; picture-in-picture; fullscreen"),
        "width": _digits,
        "height": _digits,
    },
    "img": {
        "src": lambda v: bool(
            _HTTP_URL_RE.fullmatch(v) and not mentions_script_scheme(v)
        ),
        "alt": lambda v: v == "",
        "loading": _fixed("lazy"),
        "referrerpolicy": _fixed("no-referrer"),
        "class": _class_ok,
    },
    "ol": {"class": _class_ok, "type": _fixed("1", "a", "A", "i", "I")},
    "pre": {"class": _class_ok},
    # No style attribute anywhere: the Content Security Policy would block it;
    # colours and fonts are bb-* classes (palette).
    "span": {"class": _class_ok},
    "ul": {"class": _class_ok},
}


def _attribute_filter(tag: str, name: str, value: str) -> bool:
    # bleach hands over values with character references still encoded; the
    # rules must judge what the browser will actually see.
    seen = html.unescape(value)
    rule = _ATTRIBUTE_RULES.get(tag, {}).get(name)
    if rule is not None and rule(seen):
        return True
    # A registered tag's own attributes (a member link's path, its data-*).
    rule = registry.attribute_rule(tag, name)
    return bool(rule is not None and rule(seen))


_cleaners = threading.local()


def cleaner() -> bleach.Cleaner:
    # bleach.Cleaner keeps parser state, so each thread gets its own.
    cleaner = getattr(_cleaners, "cleaner", None)
    if cleaner is None:
        cleaner = bleach.Cleaner(
            tags=_ALLOWED_TAGS,
            attributes=_attribute_filter,
            protocols=_ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
        )
        _cleaners.cleaner = cleaner
    return cleaner
