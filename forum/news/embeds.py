"""Where a post embeds articles, and swapping those spots for cards.

A post embeds an article with ``[NEWS=id]`` or with a link alone on its own line.
Both are found in ``Post.body_html`` (the sanitized HTML the BBCode renderer
produced), never in the BBCode source: what attach_articles records when a post is
written and what the thread page swaps when it is shown then come from one scan of
one string and cannot disagree.

The scan is a single linear pass over tags. It trusts the renderer's output shape
(bleach serializes every tag and attribute the same way), and when the HTML is not
what it expects it simply finds nothing: the post keeps its plain links.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from forum.news.fetcher import FetchRefused, normalize_url

__all__ = [
    "PostNews",
    "Spot",
    "embedded_refs",
    "find_spots",
    "site_domain",
    "swap_cards",
]

_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")
_PLACEHOLDER_RE = re.compile(
    r'<div class="news-embed" data-news-id="(\d{1,18})"></div>'
)
# A link the renderer made from a bare URL (or [URL]...[/URL]): its text is its
# address. [URL=...]words[/URL] has other text and stays a link.
_LINK_RE = re.compile(
    r'<a href="([^"<>]*)" rel="nofollow ugc noopener" target="_blank">([^<>]*)</a>'
)
_VOID = frozenset({"br", "img", "hr", "wbr"})
# Elements that start a new line of their own: a link next to one is still alone
# on its line.
_BLOCKS = frozenset(
    {"blockquote", "details", "div", "iframe", "li", "ol", "p", "pre", "ul"}
)
_BREAK = "<br>"


@dataclass(frozen=True)
class Spot:
    """One embed in a post's HTML: ``html[start:end]`` is what a card replaces.

    ``kind`` is "id" (``[NEWS=id]``, value an int) or "url" (a link alone on its
    line at the top level of the post, value the href as written in the HTML).
    """

    kind: str
    start: int
    end: int
    value: int | str


def find_spots(body_html: str) -> list[Spot]:
    """Every embed spot in ``body_html``, in order.

    ``[NEWS=id]`` placeholders count wherever they are; links count only at the
    top level of the post (a link inside a quote of someone else's post stays a
    link) and only when nothing but whitespace shares their line.
    """
    spots: list[Spot] = []
    depth = 0
    # A link seen at the start of a line, waiting to learn whether the line ends
    # right after it.
    candidate: Spot | None = None
    line_has_content = False
    pos = 0
    length = len(body_html)
    while pos < length:
        match = _TAG_RE.search(body_html, pos)
        text = body_html[pos : match.start() if match else length]
        if depth == 0 and text.strip():
            line_has_content = True
            candidate = None
        if match is None:
            break
        closing, name = match[1], match[2].lower()
        start = match.start()

        if not closing and name == "div":
            placeholder = _PLACEHOLDER_RE.match(body_html, start)
            if placeholder is not None:
                spots.append(Spot("id", start, placeholder.end(), int(placeholder[1])))
                if depth == 0:
                    candidate, line_has_content = _end_line(spots, candidate)
                pos = placeholder.end()
                continue

        if not closing and name == "a" and depth == 0:
            link = _LINK_RE.match(body_html, start)
            if link is not None:
                bare = (
                    html.unescape(link[2]).strip().lower()
                    == html.unescape(link[1]).lower()
                )
                if bare and not line_has_content:
                    candidate = Spot("url", start, link.end(), html.unescape(link[1]))
                else:
                    candidate = None
                line_has_content = True
                pos = link.end()
                continue

        if depth == 0:
            if name == "br" or name in _BLOCKS:
                candidate, line_has_content = _end_line(spots, candidate)
            else:
                candidate, line_has_content = None, True
        if name not in _VOID and not match[0].endswith("/>"):
            depth = max(0, depth - 1) if closing else depth + 1
        pos = match.end()
    if candidate is not None:
        spots.append(candidate)
    spots.sort(key=lambda spot: spot.start)
    return spots


def _end_line(spots: list[Spot], candidate: Spot | None) -> tuple[None, bool]:
    if candidate is not None:
        spots.append(candidate)
    return None, False


def normalized(url: str) -> str | None:
    """``normalize_url(url)``, or None for a link that can never be an article."""
    try:
        return normalize_url(url)
    except FetchRefused:
        return None


def embedded_refs(body_html: str) -> list[tuple[str, int | str]]:
    """The articles a post embeds, in order, without repeats:
    ``("id", quote_id)`` and ``("url", normalized_url)``."""
    refs: list[tuple[str, int | str]] = []
    seen: set[tuple[str, int | str]] = set()
    for spot in find_spots(body_html):
        if spot.kind == "id":
            ref: tuple[str, int | str] = ("id", spot.value)
        else:
            url = normalized(str(spot.value))
            if url is None:
                continue
            ref = ("url", url)
        if ref not in seen:
            seen.add(ref)
            refs.append(ref)
    return refs


def site_domain(url: str) -> str:
    """The host of ``url`` without "www." (the publication's key)."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return host.removeprefix("www.")


@dataclass
class PostNews:
    """What one post's embeds turn into on the page, HTML already rendered.

    ``by_id`` answers ``[NEWS=id]`` placeholders; ``by_url`` answers link lines
    by normalized URL with a card. ``after_link`` adds a small link after a plain
    link whose card could not be made (for whoever may write it by hand).
    """

    by_id: dict[int, str] = field(default_factory=dict)
    by_url: dict[str, str] = field(default_factory=dict)
    after_link: dict[str, str] = field(default_factory=dict)
    # A failed card is offered to whoever may write it: the post looks different
    # to different members, so its page is never a shared render.
    per_viewer: bool = False


def swap_cards(body_html: str, news: PostNews | None) -> str:
    """``body_html`` with its embed spots replaced by the HTML in ``news``.

    Spots with nothing to show are left as they are: a plain link stays a link,
    an unknown ``[NEWS=id]`` stays an empty placeholder. A card is a block, so
    the line break that ended the link's line goes with the link.
    """
    if not news or not (news.by_id or news.by_url or news.after_link):
        return body_html
    out: list[str] = []
    pos = 0
    for spot in find_spots(body_html):
        if spot.kind == "id":
            card = news.by_id.get(int(spot.value))
            if card is None:
                continue
            out.append(body_html[pos : spot.start])
            out.append(card)
            pos = spot.end
            continue
        url = normalized(str(spot.value))
        if url is None:
            continue
        card = news.by_url.get(url)
        if card is not None:
            out.append(body_html[pos : spot.start])
            out.append(card)
            pos = spot.end
            if body_html.startswith(_BREAK, pos):
                pos += len(_BREAK)
        elif url in news.after_link:
            out.append(body_html[pos : spot.end])
            out.append(news.after_link[url])
            pos = spot.end
    out.append(body_html[pos:])
    return "".join(out)
