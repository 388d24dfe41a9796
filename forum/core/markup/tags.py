"""The built-in BBCode tag set: its limits, option checks and verbatim tags.

Each container tag's option is validated here (``validate_option``) and each
verbatim tag ([code], [img], [media], option-less [url] / [email]) is turned
into finished, escaped HTML (``render_verbatim``).  The messages a poster sees
for a malformed tag live here too, next to the rule they explain.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from forum.core.markup import palette

MAX_BODY_LENGTH = 50_000
MAX_QUOTE_DEPTH = 5

# Beyond this many rendered wrappers the tag's formatting is dropped (its
# content is kept): bleach's html5lib tree building slows down sharply with
# nesting depth, and nobody needs 40 levels of [b].
MAX_NESTING = 40

LINK_REL = "nofollow ugc noopener"

YOUTUBE_EMBED_PREFIX = "https://www.youtube-nocookie.com/embed/"
_YOUTUBE_ID_RE = re.compile(r"[A-Za-z0-9_-]{11}")


def mentions_script_scheme(url: str) -> bool:
    # Even inside an http(s) path, "javascript:" in an attribute is only ever
    # an attack probe; refusing it keeps the output trivially auditable.
    return "script:" in url.lower()


_BAD_URL_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})
_EMAIL_RE = re.compile(
    r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+"
)
_COLOR_RE = re.compile(
    r"#[0-9a-f]{3}|#[0-9a-f]{6}|[a-z]{3,20}"
    r"|rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)",
    re.IGNORECASE,
)
_CODE_LANG_RE = re.compile(r"[A-Za-z0-9_+#.-]{1,30}")
_YOUTUBE_HOSTS = frozenset(
    {
        "youtube.com",
        "www.youtube.com",
        "m.youtube.com",
        "music.youtube.com",
        "youtube-nocookie.com",
        "www.youtube-nocookie.com",
    }
)


def safe_url(url: str) -> str | None:
    """Return ``url`` if it is an absolute http(s) URL safe to put in an attribute."""
    if not url or len(url) > 2048:
        return None
    for ch in url:
        if ch in "\"'<>`\\\ufffd" or unicodedata.category(ch) in _BAD_URL_CATEGORIES:
            return None
    if not re.match(r"https?://", url, re.IGNORECASE) or mentions_script_scheme(url):
        return None
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not hostname:
        return None
    # Normalise the scheme so later checks can be plain prefix comparisons.
    return parts.scheme.lower() + url[len(parts.scheme) :]


def _youtube_id(text: str) -> str | None:
    """Extract an 11-character YouTube video id from an id or a YouTube URL."""
    text = text.strip()
    if _YOUTUBE_ID_RE.fullmatch(text):
        return text
    url = safe_url(text)
    if url is None:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    candidate = None
    if host == "youtu.be":
        candidate = parts.path.lstrip("/").split("/")[0]
    elif host in _YOUTUBE_HOSTS:
        segments = [s for s in parts.path.split("/") if s]
        if segments[:1] == ["watch"]:
            candidate = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(segments) >= 2 and segments[0] in ("embed", "shorts", "live", "v"):
            candidate = segments[1]
    if candidate and _YOUTUBE_ID_RE.fullmatch(candidate):
        return candidate
    return None


def unquote(option: str) -> str:
    if len(option) >= 2 and option[0] == option[-1] == '"':
        return re.sub(r"\\(.)", r"\1", option[1:-1])
    if len(option) >= 2 and option[0] == option[-1] == "'":
        return option[1:-1]
    return option


_QUOTE_OPTION_RE = re.compile(
    r"(?P<name>.*?)(?:,\s*post:\s*(?P<post>\d{1,18}))?"
    r"(?:,\s*member:\s*(?P<member>\d{1,18}))?\s*",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class QuoteInfo:
    name: str
    post: int | None
    member: int | None


def _parse_quote_option(option: str | None) -> QuoteInfo:
    if option is None:
        return QuoteInfo("", None, None)
    match = _QUOTE_OPTION_RE.fullmatch(unquote(option))
    if match is None:  # pragma: no cover - the pattern matches any string
        return QuoteInfo(option.strip(), None, None)
    post, member = match["post"], match["member"]
    return QuoteInfo(
        match["name"].strip()[:100],
        int(post) if post else None,
        int(member) if member else None,
    )


# Tags whose content is taken verbatim up to the matching closing tag.
VERBATIM = frozenset({"code", "icode", "img", "media"})
# url/email are verbatim only in their option-less form.
VERBATIM_WITHOUT_OPTION = frozenset({"url", "email"})
CONTAINERS = frozenset(
    {
        "b",
        "i",
        "u",
        "s",
        "color",
        "size",
        "font",
        "url",
        "email",
        "quote",
        "list",
        "left",
        "center",
        "right",
        "spoiler",
    }
)
# The tags core knows itself; apps add more through the registry.
BUILTIN_TAGS = CONTAINERS | VERBATIM | {"*"}
LINK_TAGS = frozenset({"url", "email"})


class Leaf:
    """Pre-rendered HTML for a tag with verbatim content (code, img, ...).

    ``tag`` names the registered tag that produced it, if any.
    """

    __slots__ = ("html", "block", "tag")

    def __init__(self, html_: str, block: bool, tag: str = "") -> None:
        self.html = html_
        self.block = block
        self.tag = tag


def validate_option(tag: str, option: str | None) -> tuple[bool, object]:
    """Return (ok, parsed data) for a container tag's option."""
    value = None if option is None else unquote(option)
    if tag in ("b", "i", "u", "s", "left", "center", "right"):
        return option is None, None
    if tag == "color":
        # A word that names no colour is still a valid tag: it colours nothing,
        # as a browser ignores a colour it does not know.
        if value and _COLOR_RE.fullmatch(value.strip()):
            return True, palette.color_class(value.strip().lower())
        return False, None
    if tag == "size":
        if value and value.strip() in "1234567" and len(value.strip()) == 1:
            return True, value.strip()
        return False, None
    if tag == "font":
        css_class = palette.font_class(value or "")
        return css_class is not None, css_class
    if tag == "url":
        url = safe_url(value or "")
        return url is not None, url
    if tag == "email":
        if value and _EMAIL_RE.fullmatch(value):
            return True, value
        return False, None
    if tag == "quote":
        return True, _parse_quote_option(option)
    if tag == "list":
        if option is None:
            return True, None
        if value in ("1", "a", "A", "i", "I"):
            return True, value
        return False, None
    if tag == "spoiler":
        title = None if value is None else value.strip()[:200]
        return True, title or None
    return False, None  # pragma: no cover - every container is handled above


def render_verbatim(
    tag: str, option: str | None, content: str
) -> tuple[Leaf | None, str | None]:
    """Build the leaf for a verbatim tag, or (None, problem) if it is invalid."""
    value = None if option is None else unquote(option).strip()
    if tag == "code":
        if value is not None and not _CODE_LANG_RE.fullmatch(value):
            return None, "The [code] tag has an invalid language name."
        # A newline right after [code] / before [/code] is layout, not code.
        if content.startswith("\n"):
            content = content[1:]
        if content.endswith("\n"):
            content = content[:-1]
        escaped = html.escape(content, quote=False)
        pre = f'<pre class="bb-code"><code>{escaped}</code></pre>'
        if value:
            label = html.escape(value, quote=False)
            pre = (
                f'<div class="bb-code-block"><div class="bb-code-lang">{label}</div>'
                f"{pre}</div>"
            )
        return Leaf(pre, True), None
    if tag == "icode":
        if option is not None:
            return None, "The [icode] tag does not take an option."
        escaped = html.escape(content, quote=False)
        return Leaf(f'<code class="bb-icode">{escaped}</code>', False), None
    if tag == "img":
        url = None if option is not None else safe_url(content.strip())
        if url is None:
            return None, "The [img] tag must contain an http:// or https:// address."
        src = html.escape(url)
        return (
            Leaf(
                f'<img src="{src}" alt="" loading="lazy" '
                'referrerpolicy="no-referrer" class="bb-img">',
                False,
            ),
            None,
        )
    if tag == "media":
        video = None
        if value is None or value.lower() == "youtube":
            video = _youtube_id(content)
        if video is None:
            return None, "The [media] tag must contain a YouTube video id or link."
        return (
            Leaf(
                '<div class="bb-media"><iframe '
                f'src="{YOUTUBE_EMBED_PREFIX}{video}" title="YouTube video" '
                'width="560" height="315" loading="lazy" allowfullscreen '
                'allow="encrypted-media; picture-in-picture; fullscreen" '
                'referrerpolicy="strict-origin-when-cross-origin"></iframe></div>',
                True,
            ),
            None,
        )
    if tag == "url":
        url = safe_url(content.strip())
        if url is None:
            return None, "The [url] tag must contain an http:// or https:// address."
        return (
            Leaf(
                f'<a href="{html.escape(url)}" rel="{LINK_REL}" target="_blank">'
                f"{html.escape(content.strip(), quote=False)}</a>",
                False,
            ),
            None,
        )
    if tag == "email":
        address = content.strip()
        if not _EMAIL_RE.fullmatch(address):
            return None, "The [email] tag must contain an e-mail address."
        return (
            Leaf(
                f'<a href="mailto:{html.escape(address)}" rel="{LINK_REL}">'
                f"{html.escape(address, quote=False)}</a>",
                False,
            ),
            None,
        )
    return None, None  # pragma: no cover


def unclosed_message(tag: str) -> str:
    return f"The [{tag}] tag is opened but never closed."


def invalid_option_message(tag: str, option: str | None) -> str:
    if option is None:
        return f"The [{tag}] tag needs an option, like [{tag}=...]."
    if tag in ("url", "email"):
        what = "an http:// or https:// address" if tag == "url" else "an e-mail address"
        return f"The [{tag}] tag must point to {what}."
    if tag == "size":
        return "The [size] tag takes a size from 1 to 7."
    if tag == "font":
        return "The [font] tag only supports common fonts such as Arial or Verdana."
    if tag == "color":
        return "The [color] tag takes a colour name or a #rrggbb value."
    if tag == "list":
        return "The [list] tag takes no option, or =1 / =a for a numbered list."
    return f"The [{tag}] tag does not take an option."
