"""BBCode -> sanitized HTML, following XenForo's tag set and semantics.

Rendering happens in two independent layers:

1. A small, iterative BBCode parser that validates every option and URL and
   emits escaped HTML for the tags it understands.  Anything it cannot make
   sense of (unknown tags, unbalanced tags, unsafe options) is shown as the
   literal text the member typed.
2. A single bleach allow-list (``_ALLOWED_TAGS``, ``_ATTRIBUTE_RULES``,
   ``_ALLOWED_PROTOCOLS`` and a CSS sanitizer) that the generated HTML is run
   through, so that a bug in layer 1 still cannot produce markup outside the
   allow-list.

Nothing here recurses over the input, so deeply nested tags cannot hit the
interpreter's recursion limit.
"""

from __future__ import annotations

import html
import re
import threading
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import bleach
from bleach.css_sanitizer import CSSSanitizer

__all__ = [
    "MAX_BODY_LENGTH",
    "MAX_QUOTE_DEPTH",
    "check_bbcode",
    "extract_news_ids",
    "extract_quoted_post_ids",
    "quote_tag_for",
    "render_bbcode",
]

MAX_BODY_LENGTH = 50_000
MAX_QUOTE_DEPTH = 5

# Beyond this many rendered wrappers the tag's formatting is dropped (its
# content is kept): bleach's html5lib tree building slows down sharply with
# nesting depth, and nobody needs 40 levels of [b].
_MAX_NESTING = 40

_LINK_REL = "nofollow ugc noopener"

# ---------------------------------------------------------------------------
# Allow-list (layer 2)
# ---------------------------------------------------------------------------

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
_ALLOWED_CSS_PROPERTIES = frozenset({"color", "font-family"})

# Classes not following the ``bb-`` convention that other templates rely on.
_KNOWN_CLASSES = frozenset({"news-embed"})

_YOUTUBE_EMBED_PREFIX = "https://www.youtube-nocookie.com/embed/"
_YOUTUBE_ID_RE = re.compile(r"[A-Za-z0-9_-]{11}")
_EMBED_SRC_RE = re.compile(re.escape(_YOUTUBE_EMBED_PREFIX) + r"[A-Za-z0-9_-]{11}")
_HTTP_URL_RE = re.compile(r"https?://[^\s\"'<>`\\]+", re.IGNORECASE)
_MAILTO_RE = re.compile(r"mailto:[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+", re.IGNORECASE)
_QUOTE_LINK_RE = re.compile(r"/posts/\d{1,18}/")
_DIGITS_RE = re.compile(r"\d{1,18}")
_CLASS_TOKEN_RE = re.compile(r"[a-z0-9-]{1,40}")
_STYLE_RE = re.compile(
    r"\s*(?:color\s*:\s*(?:#[0-9a-f]{3}|#[0-9a-f]{6}|[a-z]{3,20}"
    r"|rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\))"
    r"|font-family\s*:\s*[a-z][a-z ]{0,30}(?:,\s*[a-z-]{1,20})?)\s*;?\s*",
    re.IGNORECASE,
)


def _class_ok(value: str) -> bool:
    tokens = value.split()
    return bool(tokens) and all(
        _CLASS_TOKEN_RE.fullmatch(t) and (t.startswith("bb-") or t in _KNOWN_CLASSES)
        for t in tokens
    )


def _fixed(*values: str):
    allowed = frozenset(values)
    return lambda value: value in allowed


def _digits(value: str) -> bool:
    return bool(_DIGITS_RE.fullmatch(value))


def _mentions_script_scheme(url: str) -> bool:
    # Even inside an http(s) path, "javascript:" in an attribute is only ever
    # an attack probe; refusing it keeps the output trivially auditable.
    return "script:" in url.lower()


def _href_ok(value: str) -> bool:
    if _mentions_script_scheme(value):
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
        "rel": _fixed(_LINK_REL),
        "target": _fixed("_blank"),
    },
    "blockquote": {
        "class": _class_ok,
        "data-quote-post": _digits,
        "data-quote-member": _digits,
    },
    "code": {"class": _class_ok},
    "details": {"class": _class_ok},
    "div": {"class": _class_ok, "data-news-id": _digits},
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
            _HTTP_URL_RE.fullmatch(v) and not _mentions_script_scheme(v)
        ),
        "alt": lambda v: v == "",
        "loading": _fixed("lazy"),
        "referrerpolicy": _fixed("no-referrer"),
        "class": _class_ok,
    },
    "ol": {"class": _class_ok, "type": _fixed("1", "a", "A", "i", "I")},
    "pre": {"class": _class_ok},
    "span": {
        "class": _class_ok,
        "style": lambda v: bool(_STYLE_RE.fullmatch(v)),
    },
    "ul": {"class": _class_ok},
}


def _attribute_filter(tag: str, name: str, value: str) -> bool:
    rule = _ATTRIBUTE_RULES.get(tag, {}).get(name)
    # bleach hands over values with character references still encoded; the
    # rules must judge what the browser will actually see.
    return bool(rule is not None and rule(html.unescape(value)))


# Bare URLs are linked here rather than with bleach's LinkifyFilter: chained
# after the sanitizer it decodes character references a second time (typed
# "&lt;" would display as "<"), and with skip_tags it double-escapes them
# inside <code>.  Only bare http(s) URLs are linked, never bare domains.
# Quotes, brackets and the replacement character end a URL so BBCode and
# attribute-looking text next to it stay out of the link.
_LINKIFY_URL_RE = re.compile(
    r"(?<![\w@/.:+-])https?://[^\s<>\"'`\[\]{}|\\^\ufffd]+(?<![.,;:!?])",
    re.IGNORECASE,
)


_cleaners = threading.local()


def _cleaner() -> bleach.Cleaner:
    # bleach.Cleaner keeps parser state, so each thread gets its own.
    cleaner = getattr(_cleaners, "cleaner", None)
    if cleaner is None:
        cleaner = bleach.Cleaner(
            tags=_ALLOWED_TAGS,
            attributes=_attribute_filter,
            protocols=_ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            css_sanitizer=CSSSanitizer(allowed_css_properties=_ALLOWED_CSS_PROPERTIES),
        )
        _cleaners.cleaner = cleaner
    return cleaner


# ---------------------------------------------------------------------------
# Option / content validation
# ---------------------------------------------------------------------------

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
_FONTS = {
    name.lower(): css
    for name, css in (
        ("Arial", "Arial, sans-serif"),
        ("Book Antiqua", "Book Antiqua, serif"),
        ("Comic Sans MS", "Comic Sans MS, cursive"),
        ("Courier New", "Courier New, monospace"),
        ("Georgia", "Georgia, serif"),
        ("Helvetica", "Helvetica, sans-serif"),
        ("Impact", "Impact, sans-serif"),
        ("Tahoma", "Tahoma, sans-serif"),
        ("Times New Roman", "Times New Roman, serif"),
        ("Trebuchet MS", "Trebuchet MS, sans-serif"),
        ("Verdana", "Verdana, sans-serif"),
        ("monospace", "monospace"),
        ("sans-serif", "sans-serif"),
        ("serif", "serif"),
    )
}
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


def _safe_url(url: str) -> str | None:
    """Return ``url`` if it is an absolute http(s) URL safe to put in an attribute."""
    if not url or len(url) > 2048:
        return None
    for ch in url:
        if ch in "\"'<>`\\\ufffd" or unicodedata.category(ch) in _BAD_URL_CATEGORIES:
            return None
    if not re.match(r"https?://", url, re.IGNORECASE) or _mentions_script_scheme(url):
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
    url = _safe_url(text)
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


def _unquote(option: str) -> str:
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
class _QuoteInfo:
    name: str
    post: int | None
    member: int | None


def _parse_quote_option(option: str | None) -> _QuoteInfo:
    if option is None:
        return _QuoteInfo("", None, None)
    match = _QUOTE_OPTION_RE.fullmatch(_unquote(option))
    if match is None:  # pragma: no cover - the pattern matches any string
        return _QuoteInfo(option.strip(), None, None)
    post, member = match["post"], match["member"]
    return _QuoteInfo(
        match["name"].strip()[:100],
        int(post) if post else None,
        int(member) if member else None,
    )


# ---------------------------------------------------------------------------
# Parser (layer 1)
# ---------------------------------------------------------------------------

# Options stop at an unescaped '[' / ']' or a newline; the double-quoted form
# allows backslash escapes (quote_tag_for relies on them).  Neither form can
# run past the next '[', which keeps scanning a run of '[' linear.
_TAG_RE = re.compile(
    r"\[(?P<close>/)?(?P<name>\*|[A-Za-z][A-Za-z0-9]{0,19})"
    r"(?:=(?P<opt>\"(?:[^\"\\\n\[\]]|\\.){0,500}\"|[^\[\]\n]{0,2000}))?\]"
)

# Tags whose content is taken verbatim up to the matching closing tag.
_VERBATIM = frozenset({"code", "icode", "img", "media"})
# url/email are verbatim only in their option-less form.
_VERBATIM_WITHOUT_OPTION = frozenset({"url", "email"})
_CONTAINERS = frozenset(
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
_KNOWN_TAGS = _CONTAINERS | _VERBATIM | {"news", "*"}
_LINK_TAGS = frozenset({"url", "email"})


class _Node:
    """An opened container tag; ``closed`` says whether it was balanced."""

    __slots__ = ("tag", "data", "raw", "start", "end", "children", "closed")

    def __init__(self, tag: str, data: object, raw: str, start: int) -> None:
        self.tag = tag
        self.data = data
        self.raw = raw
        self.start = start
        self.end = start
        self.children: list[object] = []
        self.closed = False


class _Leaf:
    """Pre-rendered HTML for a tag with verbatim content (code, img, ...)."""

    __slots__ = ("html", "block")

    def __init__(self, html_: str, block: bool) -> None:
        self.html = html_
        self.block = block


@dataclass
class _ParseResult:
    root: _Node
    problems: list[str]
    news_ids: list[int]
    # Source spans of quote tags that did not form a quote, for quote_tag_for.
    stray_quote_spans: list[tuple[int, int]]


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _normalise(source: str) -> str:
    # Control characters and lone surrogates are never useful in a post and
    # lone surrogates would break UTF-8 encoding of the page.
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_RE.sub("\ufffd", source)


def _validate_option(tag: str, option: str | None) -> tuple[bool, object]:
    """Return (ok, parsed data) for a container tag's option."""
    value = None if option is None else _unquote(option)
    if tag in ("b", "i", "u", "s", "left", "center", "right"):
        return option is None, None
    if tag == "color":
        if value and _COLOR_RE.fullmatch(value.strip()):
            return True, value.strip().lower()
        return False, None
    if tag == "size":
        if value and value.strip() in "1234567" and len(value.strip()) == 1:
            return True, value.strip()
        return False, None
    if tag == "font":
        css = _FONTS.get((value or "").strip().lower())
        return css is not None, css
    if tag == "url":
        url = _safe_url(value or "")
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


def _render_verbatim(
    tag: str, option: str | None, content: str
) -> tuple[_Leaf | None, str | None]:
    """Build the leaf for a verbatim tag, or (None, problem) if it is invalid."""
    value = None if option is None else _unquote(option).strip()
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
        return _Leaf(pre, True), None
    if tag == "icode":
        if option is not None:
            return None, "The [icode] tag does not take an option."
        escaped = html.escape(content, quote=False)
        return _Leaf(f'<code class="bb-icode">{escaped}</code>', False), None
    if tag == "img":
        url = None if option is not None else _safe_url(content.strip())
        if url is None:
            return None, "The [img] tag must contain an http:// or https:// address."
        src = html.escape(url)
        return (
            _Leaf(
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
            _Leaf(
                '<div class="bb-media"><iframe '
                f'src="{_YOUTUBE_EMBED_PREFIX}{video}" title="YouTube video" '
                'width="560" height="315" loading="lazy" allowfullscreen '
                'allow="encrypted-media; picture-in-picture; fullscreen" '
                'referrerpolicy="strict-origin-when-cross-origin"></iframe></div>',
                True,
            ),
            None,
        )
    if tag == "url":
        url = _safe_url(content.strip())
        if url is None:
            return None, "The [url] tag must contain an http:// or https:// address."
        return (
            _Leaf(
                f'<a href="{html.escape(url)}" rel="{_LINK_REL}" target="_blank">'
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
            _Leaf(
                f'<a href="mailto:{html.escape(address)}" rel="{_LINK_REL}">'
                f"{html.escape(address, quote=False)}</a>",
                False,
            ),
            None,
        )
    return None, None  # pragma: no cover


def _unclosed_message(tag: str) -> str:
    return f"The [{tag}] tag is opened but never closed."


def _parse(source: str) -> _ParseResult:
    """Parse BBCode into a tree of _Node / _Leaf / str, in linear time."""
    root = _Node("", None, "", 0)
    root.closed = True
    stack = [root]
    open_counts: dict[str, int] = {}
    problems: list[str] = []
    news_ids: list[int] = []
    stray_quote_spans: list[tuple[int, int]] = []
    # For each verbatim tag, a position after which no closing tag exists;
    # remembering it keeps repeated unclosed [code] tags linear.
    no_close_from: dict[str, int] = {}
    close_res: dict[str, re.Pattern[str]] = {}

    def add_text(text: str) -> None:
        if text:
            stack[-1].children.append(text)

    def fail(node: _Node) -> None:
        node.closed = False
        if node.tag != "*":  # an item is reported through its [list]
            problems.append(_unclosed_message(node.tag))
        if node.tag == "list":
            # Items of a list that is shown as text are text as well.
            for child in node.children:
                if isinstance(child, _Node) and child.tag == "*":
                    child.closed = False
        if node.tag == "quote":
            stray_quote_spans.append((node.start, node.start + len(node.raw)))

    def pop(closed: bool, end: int) -> _Node:
        node = stack.pop()
        open_counts[node.tag] -= 1
        node.end = end
        if closed:
            node.closed = True
        else:
            fail(node)
        return node

    def push(node: _Node) -> None:
        stack[-1].children.append(node)
        stack.append(node)
        open_counts[node.tag] = open_counts.get(node.tag, 0) + 1

    pos = 0
    length = len(source)
    while pos < length:
        match = _TAG_RE.search(source, pos)
        if match is None:
            break
        add_text(source[pos : match.start()])
        pos = match.end()
        raw = match.group(0)
        tag = match["name"].lower()
        option = match["opt"]

        if tag not in _KNOWN_TAGS:
            slash = "/" if match["close"] else ""
            problems.append(
                f"Unknown BBCode tag [{slash}{tag}]. It will be shown as plain text."
            )
            add_text(raw)
            continue

        if match["close"]:
            if option is not None:
                add_text(raw)
                continue
            if tag == "*":
                if stack[-1].tag == "*":
                    pop(True, pos)
                else:
                    add_text(raw)
                continue
            if not open_counts.get(tag):
                if tag == "news" and _ends_with_news(stack[-1]):
                    continue  # "[news=1][/news]" is accepted as a single tag
                problems.append(f"The closing tag [/{tag}] has no opening tag.")
                if tag == "quote":
                    stray_quote_spans.append((match.start(), pos))
                add_text(raw)
                continue
            while stack[-1].tag != tag:
                pop(stack[-1].tag == "*" and tag == "list", match.start())
            pop(True, pos)
            continue

        in_link = any(open_counts.get(t) for t in _LINK_TAGS)

        if tag == "news":
            value = _unquote(option or "").strip()
            if _DIGITS_RE.fullmatch(value):
                news_ids.append(int(value))
                stack[-1].children.append(
                    _Leaf(
                        f'<div class="news-embed" data-news-id="{int(value)}"></div>',
                        True,
                    )
                )
            else:
                problems.append(
                    "The [news] tag needs a numeric news id, like [NEWS=12]."
                )
                add_text(raw)
            continue

        if tag == "*":
            if stack[-1].tag == "*":
                pop(True, match.start())
            if stack[-1].tag == "list":
                push(_Node("*", None, raw, match.start()))
            else:
                problems.append("The list item [*] is not inside a [list].")
                add_text(raw)
            continue

        if tag in _VERBATIM or (tag in _VERBATIM_WITHOUT_OPTION and option is None):
            if tag in _LINK_TAGS and in_link:
                problems.append(f"The [{tag}] tag cannot be used inside another link.")
                add_text(raw)
                continue
            closer = close_res.get(tag)
            if closer is None:
                closer = re.compile(r"\[/" + tag + r"\]", re.IGNORECASE)
                close_res[tag] = closer
            end_match = None
            if pos < no_close_from.get(tag, length + 1):
                end_match = closer.search(source, pos)
                if end_match is None:
                    no_close_from[tag] = pos
            if end_match is None:
                problems.append(_unclosed_message(tag))
                add_text(raw)
                continue
            content = source[pos : end_match.start()]
            leaf, problem = _render_verbatim(tag, option, content)
            if leaf is None:
                if problem:
                    problems.append(problem)
                add_text(source[match.start() : end_match.end()])
            else:
                stack[-1].children.append(leaf)
            pos = end_match.end()
            continue

        # Container tags.
        if tag in _LINK_TAGS and in_link:
            problems.append(f"The [{tag}] tag cannot be used inside another link.")
            add_text(raw)
            continue
        ok, data = _validate_option(tag, option)
        if not ok:
            problems.append(_invalid_option_message(tag, option))
            add_text(raw)
            continue
        push(_Node(tag, data, raw, match.start()))

    add_text(source[pos:])
    while len(stack) > 1:
        pop(False, length)
    return _ParseResult(root, _unique(problems), news_ids, stray_quote_spans)


def _ends_with_news(node: _Node) -> bool:
    last = node.children[-1] if node.children else None
    return isinstance(last, _Leaf) and 'class="news-embed"' in last.html


def _invalid_option_message(tag: str, option: str | None) -> str:
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


def _unique(items: list) -> list:
    return list(dict.fromkeys(items))


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------

# Piece kinds; _LINK_TEXT is text already inside an <a> (never auto-linked).
_TEXT, _LINK_TEXT, _INLINE, _BLOCK = 0, 1, 2, 3
_TEXT_KINDS = (_TEXT, _LINK_TEXT)
_QUOTE_OMITTED = '<div class="bb-quote-omitted">…</div>'


def _wrap(node: _Node) -> tuple[str, str, bool]:
    """Opening HTML, closing HTML and block-ness for a balanced container."""
    tag, data = node.tag, node.data
    if tag in ("b", "i", "u", "s"):
        element = {"b": "strong", "i": "em", "u": "u", "s": "s"}[tag]
        return f"<{element}>", f"</{element}>", False
    if tag == "color":
        return f'<span style="color: {html.escape(data)}">', "</span>", False
    if tag == "size":
        return f'<span class="bb-size-{data}">', "</span>", False
    if tag == "font":
        return f'<span style="font-family: {html.escape(data)}">', "</span>", False
    if tag == "url":
        href = html.escape(data)
        return (
            f'<a href="{href}" rel="{_LINK_REL}" target="_blank">',
            "</a>",
            False,
        )
    if tag == "email":
        return (
            f'<a href="mailto:{html.escape(data)}" rel="{_LINK_REL}">',
            "</a>",
            False,
        )
    if tag == "quote":
        info: _QuoteInfo = data
        attrs = ""
        if info.post is not None:
            attrs += f' data-quote-post="{info.post}"'
        if info.member is not None:
            attrs += f' data-quote-member="{info.member}"'
        attribution = ""
        if info.name:
            said = f"{html.escape(info.name, quote=False)} said:"
            if info.post is not None:
                said = f'<a href="/posts/{info.post}/" class="bb-quote-link">{said}</a>'
            attribution = f'<div class="bb-quote-attribution">{said}</div>'
        return (
            f'<blockquote class="bb-quote"{attrs}>{attribution}'
            '<div class="bb-quote-body">',
            "</div></blockquote>",
            True,
        )
    if tag == "list":
        if data is None:
            return '<ul class="bb-list">', "</ul>", True
        return f'<ol class="bb-list" type="{data}">', "</ol>", True
    if tag == "*":
        return "<li>", "</li>", True
    if tag in ("left", "center", "right"):
        return f'<div class="bb-align-{tag}">', "</div>", True
    if tag == "spoiler":
        summary = (
            "Spoiler" if data is None else f"Spoiler: {html.escape(data, quote=False)}"
        )
        return (
            f'<details class="bb-spoiler"><summary>{summary}</summary>'
            '<div class="bb-spoiler-body">',
            "</div></details>",
            True,
        )
    raise ValueError(f"no renderer for [{tag}]")  # pragma: no cover


def _render_pieces(root: _Node) -> list[tuple[int, str]]:
    """Walk the tree iteratively, producing (kind, text-or-html) pieces."""
    pieces: list[tuple[int, str]] = []
    # Frame: children iterator, closing piece, quote depth, nesting depth,
    # whether the children are list entries, whether they are inside a link.
    stack: list[tuple[object, tuple[int, str] | None, int, int, bool, bool]] = [
        (iter(root.children), None, 0, 0, False, False)
    ]
    end = object()
    while stack:
        children, closing, quote_depth, nesting, in_list, in_link = stack[-1]
        text_kind = _LINK_TEXT if in_link else _TEXT
        child = next(children, end)
        if child is end:
            stack.pop()
            if closing is not None:
                pieces.append(closing)
            continue
        if isinstance(child, str):
            if not (in_list and not child.strip()):
                pieces.append((text_kind, child))
            continue
        if isinstance(child, _Leaf):
            pieces.append((_BLOCK if child.block else _INLINE, child.html))
            continue
        node: _Node = child
        if not node.closed:
            pieces.append((text_kind, node.raw))
            stack.append(
                (iter(node.children), None, quote_depth, nesting, False, in_link)
            )
            continue
        if node.tag == "quote":
            if quote_depth >= MAX_QUOTE_DEPTH:
                pieces.append((_BLOCK, _QUOTE_OMITTED))
                continue
            quote_depth += 1
        if nesting >= _MAX_NESTING:
            stack.append(
                (iter(node.children), None, quote_depth, nesting, False, in_link)
            )
            continue
        opening, closing_html, block = _wrap(node)
        kind = _BLOCK if block else _INLINE
        pieces.append((kind, opening))
        stack.append(
            (
                iter(node.children),
                (kind, closing_html),
                quote_depth,
                nesting + 1,
                node.tag == "list",
                in_link or node.tag in _LINK_TAGS,
            )
        )
    return pieces


def _escape_text(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


_TRAILING_PROSE = ".,;:!?"


def _linkify(text: str) -> str:
    """Escape ``text``, turning bare http(s) URLs into links."""
    out: list[str] = []
    last = 0
    for match in _LINKIFY_URL_RE.finditer(text):
        url = match.group(0)
        # A closing parenthesis without an opening one inside the URL, or
        # punctuation before it, belongs to the sentence around the link.
        end = len(url)
        surplus = url.count(")") - url.count("(")
        while end and (
            (url[end - 1] == ")" and surplus > 0) or url[end - 1] in _TRAILING_PROSE
        ):
            if url[end - 1] == ")":
                surplus -= 1
            end -= 1
        url = url[:end]
        safe = _safe_url(url)
        if safe is None:
            continue
        out.append(_escape_text(text[last : match.start()]))
        out.append(
            f'<a href="{html.escape(safe)}" rel="{_LINK_REL}" target="_blank">'
            f"{html.escape(url, quote=False)}</a>"
        )
        last = match.start() + end
    out.append(_escape_text(text[last:]))
    return "".join(out)


def _assemble(pieces: list[tuple[int, str]]) -> str:
    """Join pieces: escape text, link bare URLs, turn newlines into <br>."""
    # Group runs of same-kind text so literal tags and the text around them
    # are linked and trimmed as one string.
    groups: list[tuple[int, list[str]]] = []
    for kind, value in pieces:
        if kind in _TEXT_KINDS and groups and groups[-1][0] == kind:
            groups[-1][1].append(value)
        else:
            groups.append((kind, [value]))
    out: list[str] = []
    for index, (kind, values) in enumerate(groups):
        value = "".join(values)
        if kind not in _TEXT_KINDS:
            out.append(value)
            continue
        # One newline hugging a block tag is just source layout.
        if index > 0 and groups[index - 1][0] == _BLOCK and value.startswith("\n"):
            value = value[1:]
        if (
            index + 1 < len(groups)
            and groups[index + 1][0] == _BLOCK
            and value.endswith("\n")
        ):
            value = value[:-1]
        out.append(_linkify(value) if kind == _TEXT else _escape_text(value))
    return "".join(out)


def _plain_fallback(source: object) -> str:
    text = source if isinstance(source, str) else ""
    try:
        text = _normalise(text)
    except Exception:  # pragma: no cover - defensive
        text = ""
    return html.escape(text).replace("\n", "<br>")


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def render_bbcode(source: str) -> str:
    """Convert BBCode ``source`` into sanitized HTML.

    Never raises: if anything goes wrong the whole text is returned
    HTML-escaped with line breaks as ``<br>``.
    """
    try:
        text = _normalise(source)
        result = _parse(text)
        raw_html = _assemble(_render_pieces(result.root))
        return _cleaner().clean(raw_html)
    except Exception:
        return _plain_fallback(source)


def _max_quote_depth(root: _Node) -> int:
    deepest = 0
    stack: list[tuple[_Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if node.tag == "quote" and node.closed:
            depth += 1
            deepest = max(deepest, depth)
        for child in node.children:
            if isinstance(child, _Node):
                stack.append((child, depth))
    return deepest


def check_bbcode(source: str) -> list[str]:
    """List problems a poster should fix before posting; empty when fine.

    Reports unclosed tags, closing tags without an opening tag, unknown tags,
    invalid options or links, quotes nested deeper than ``MAX_QUOTE_DEPTH``
    and bodies longer than ``MAX_BODY_LENGTH``.  Runs in linear time.
    """
    text = _normalise(source)
    result = _parse(text)
    problems = list(result.problems)
    if _max_quote_depth(result.root) > MAX_QUOTE_DEPTH:
        problems.append(
            f"Quotes are nested more than {MAX_QUOTE_DEPTH} levels deep; "
            "the deeper quotes will not be shown."
        )
    if len(text) > MAX_BODY_LENGTH:
        problems.append(
            f"The message is too long ({len(text):,} characters); "
            f"the maximum is {MAX_BODY_LENGTH:,}."
        )
    return problems


def _closed_quotes(root: _Node) -> list[_Node]:
    """Balanced quote nodes in source order."""
    found: list[_Node] = []
    stack: list[_Node] = [root]
    while stack:
        node = stack.pop()
        if node.tag == "quote" and node.closed:
            found.append(node)
        # Reversed so that popping visits children in document order.
        for child in reversed(node.children):
            if isinstance(child, _Node):
                stack.append(child)
    return found


def extract_quoted_post_ids(source: str) -> list[int]:
    """Post ids named in ``[QUOTE="name, post: N, member: M"]`` tags.

    Only quotes that actually render (balanced, outside [code]) count.
    Returned in order of appearance, without duplicates.
    """
    result = _parse(_normalise(source))
    ids = [
        node.data.post
        for node in _closed_quotes(result.root)
        if node.data.post is not None
    ]
    return _unique(ids)


def extract_news_ids(source: str) -> list[int]:
    """Ids from ``[NEWS=ID]`` tags, in order of appearance, without duplicates."""
    return _unique(_parse(_normalise(source)).news_ids)


def _escape_quote_name(name: str) -> str:
    name = re.sub(r"[\x00-\x1f\x7f]+", " ", name).strip()
    return re.sub(r'([\\"\[\]])', r"\\\1", name)


def quote_tag_for(*, username: str, post_id: int, member_id: int, body: str) -> str:
    """The BBCode a Quote button puts in the reply box.

    Produces ``[QUOTE="name, post: 12, member: 3"]body[/QUOTE]`` followed by a
    newline.  Quotes inside ``body`` are removed (as XenForo does), including
    unbalanced quote tags that would otherwise close the new quote early.
    """
    text = _normalise(body)
    result = _parse(text)
    spans = [(node.start, node.end) for node in _closed_quotes(result.root)]
    spans.extend(result.stray_quote_spans)
    spans.sort()
    kept: list[str] = []
    cursor = 0
    for start, end in spans:
        if end <= cursor:
            continue  # nested inside a span already removed
        kept.append(text[cursor : max(cursor, start)])
        cursor = max(cursor, end)
    kept.append(text[cursor:])
    stripped = re.sub(r"\n{3,}", "\n\n", "".join(kept)).strip()
    name = _escape_quote_name(username)
    return (
        f'[QUOTE="{name}, post: {int(post_id)}, member: {int(member_id)}"]'
        f"{stripped}[/QUOTE]\n"
    )
