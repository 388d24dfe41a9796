"""The BBCode tree to HTML: wrappers for containers, text escaped and linked.

``render_bbcode`` is the whole pipeline: normalise, parse, walk the tree into
pieces, join them (escaping text, linking bare URLs, turning newlines into
``<br>``), then run the result through the sanitizer's allow-list.
"""

from __future__ import annotations

import html
import re

from forum.core.markup.parser import Node, normalise, parse
from forum.core.markup.sanitizer import cleaner
from forum.core.markup.tags import (
    LINK_REL,
    LINK_TAGS,
    MAX_NESTING,
    MAX_QUOTE_DEPTH,
    Leaf,
    QuoteInfo,
    safe_url,
)
from forum.core.text import limit_combining_marks, limit_combining_marks_in_html

__all__ = ["render_bbcode"]

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


# Piece kinds; _LINK_TEXT is text already inside an <a> (never auto-linked).
_TEXT, _LINK_TEXT, _INLINE, _BLOCK = 0, 1, 2, 3
_TEXT_KINDS = (_TEXT, _LINK_TEXT)
_QUOTE_OMITTED = '<div class="bb-quote-omitted">…</div>'


def _wrap(node: Node) -> tuple[str, str, bool]:
    """Opening HTML, closing HTML and block-ness for a balanced container."""
    tag, data = node.tag, node.data
    if tag in ("b", "i", "u", "s"):
        element = {"b": "strong", "i": "em", "u": "u", "s": "s"}[tag]
        return f"<{element}>", f"</{element}>", False
    # Colours and fonts are classes (palette), never inline styles.
    if tag in ("color", "font"):
        if data is None:
            return "", "", False
        return f'<span class="{data}">', "</span>", False
    if tag == "size":
        return f'<span class="bb-size-{data}">', "</span>", False
    if tag == "url":
        href = html.escape(data)
        return (
            f'<a href="{href}" rel="{LINK_REL}" target="_blank">',
            "</a>",
            False,
        )
    if tag == "email":
        return (
            f'<a href="mailto:{html.escape(data)}" rel="{LINK_REL}">',
            "</a>",
            False,
        )
    if tag == "quote":
        info: QuoteInfo = data
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


def _render_pieces(root: Node) -> list[tuple[int, str]]:
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
        if isinstance(child, Leaf):
            pieces.append((_BLOCK if child.block else _INLINE, child.html))
            continue
        node: Node = child
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
        if nesting >= MAX_NESTING:
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
                in_link or node.tag in LINK_TAGS,
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
        safe = safe_url(url)
        if safe is None:
            continue
        out.append(_escape_text(text[last : match.start()]))
        out.append(
            f'<a href="{html.escape(safe)}" rel="{LINK_REL}" target="_blank">'
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
        text = normalise(text)
    except Exception:  # pragma: no cover - defensive
        text = ""
    return limit_combining_marks(html.escape(text).replace("\n", "<br>"))


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def render_bbcode(source: str) -> str:
    """Convert BBCode ``source`` into sanitized HTML.

    Combining marks beyond a few per letter are dropped (forum.core.text), so
    a "Zalgo" tower cannot paint over the page.  Never raises: if anything
    goes wrong the whole text is returned HTML-escaped with line breaks as
    ``<br>``.
    """
    try:
        text = normalise(source)
        result = parse(text)
        raw_html = _assemble(_render_pieces(result.root))
        return limit_combining_marks_in_html(cleaner().clean(raw_html))
    except Exception:
        return _plain_fallback(source)
