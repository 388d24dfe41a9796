"""The HTML document itself: meta tags, title, paragraphs and the dateline.

OpenGraph and Twitter cards are meta tags; when a page has neither, the
``<title>`` and the opening paragraphs are read.  The markup is cut and
defused first, so BeautifulSoup's cost stays bounded on hostile pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bs4 import BeautifulSoup
from bs4.element import Tag

from forum.news.metadata.text import clean, comparable

MAX_MARKUP_TAGS = 30_000

# Words that open a paragraph in capitals without being a place.
_NOT_PLACES = frozenset(
    {
        "BREAKING",
        "BREAKING NEWS",
        "UPDATE",
        "UPDATED",
        "EXCLUSIVE",
        "WATCH",
        "LIVE",
        "ANALYSIS",
        "OPINION",
        "EDITORIAL",
        "COMMENT",
        "PHOTOS",
        "VIDEO",
        "REPORT",
        "FILE",
        "NOTE",
        "EDITOR'S NOTE",
        "CORRECTION",
        "ADVERTISEMENT",
        "READ MORE",
        "ALSO READ",
        "FAQ",
    }
)

# "ISLAMABAD:", "NEW YORK -", "WASHINGTON, March 5 (Reuters) -". The place is
# up to four all-capital words; an optional ", date" and "(Agency)" may follow
# before the colon or dash.
_DATELINE = re.compile(
    r"""^\s*
    (?P<place>[A-Z][A-Z'.\-]*(?:\ [A-Z][A-Z'.\-]*){0,3})
    (?:\s*,\s*[^:\-\u2013\u2014()]{1,40}?)?
    (?:\s*\([^)]{1,40}\))?
    \s*(?::|\s[-\u2013\u2014]\s|[\u2013\u2014]\s)
    """,
    re.VERBOSE,
)

_TITLE_SEPARATORS = (" | ", " - ", " \u2013 ", " \u2014 ", " :: ", " \u00b7 ", " // ")

# Elements whose text is not part of the article.
BOILERPLATE = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "figcaption",
    "button",
    "svg",
)


def meta_tags(soup: BeautifulSoup) -> dict[str, list[str]]:
    """Map lower-cased property/name/itemprop to all non-empty content values."""
    found: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        content = tag.get("content")
        if not isinstance(content, str) or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = tag.get(attr)
            if isinstance(key, str) and key.strip():
                found.setdefault(key.strip().lower(), []).append(content.strip())
    return found


def meta(tags: dict[str, list[str]], *keys: str) -> str:
    for key in keys:
        for value in tags.get(key, ()):
            cleaned = clean(value)
            if cleaned:
                return cleaned
    return ""


def meta_authors(tags: dict[str, list[str]], *keys: str) -> str:
    names: list[str] = []
    for key in keys:
        for value in tags.get(key, ()):
            name = clean(value)
            # article:author is often a profile URL rather than a name.
            if name and "://" not in name and name not in names:
                names.append(name)
        if names:
            break
    return ", ".join(names)


def article_paragraphs(soup: BeautifulSoup, limit: int = 12) -> list[str]:
    """Text of the article's paragraphs, boilerplate containers excluded."""
    container = (
        soup.find(attrs={"itemprop": "articleBody"})
        or soup.find("article")
        or soup.find("main")
        or soup.body
        or soup
    )
    texts: list[str] = []
    # An explicit walk that neither enters boilerplate nor descends into a
    # paragraph already taken: html.parser nests unclosed <p> tags, and
    # checking every paragraph's ancestry would be quadratic on such pages.
    stack: list[Tag] = [container]
    while stack and len(texts) < limit:
        node = stack.pop()
        if node.name == "p":
            text = clean(node.get_text(" "))
            # Bylines, share buttons and "Advertisement" labels are short.
            if len(text.split()) >= 5:
                texts.append(text)
            continue
        children = [
            child
            for child in node.children
            if isinstance(child, Tag) and child.name not in BOILERPLATE
        ]
        stack.extend(reversed(children))
    return texts


def find_dateline(text: str) -> str:
    match = _DATELINE.match(text)
    if not match:
        return ""
    place = match["place"].strip(" .-'")
    letters = sum(char.isalpha() for char in place)
    if letters < 3 or place in _NOT_PLACES:
        return ""
    return place.title()


def strip_site_name(headline: str, site_names: Iterable[str]) -> str:
    """Drop a " | Site" suffix (or "Site | " prefix) naming the publication."""
    wanted = {comparable(name) for name in site_names if name}
    wanted.discard("")
    if not wanted:
        return headline
    for separator in _TITLE_SEPARATORS:
        if separator not in headline:
            continue
        head, _, tail = headline.rpartition(separator)
        if head and comparable(tail) in wanted:
            return head.strip()
        first, _, rest = headline.partition(separator)
        if rest and comparable(first) in wanted:
            return rest.strip()
    return headline


def document_title(soup: BeautifulSoup) -> str:
    title = soup.find("title")
    text = clean(title.get_text(" ")) if title else ""
    if text:
        return text
    heading = soup.find("h1")
    return clean(heading.get_text(" ")) if heading else ""


def link_canonical(soup: BeautifulSoup) -> str:
    for link in soup.find_all("link", href=True):
        rel = link.get("rel") or []
        rels = rel if isinstance(rel, list) else str(rel).split()
        if any(value.lower() == "canonical" for value in rels):
            href = link.get("href")
            if isinstance(href, str):
                return href
    return ""


def limit_markup(html: str) -> str:
    """Cut the document after MAX_MARKUP_TAGS tags.

    BeautifulSoup spends several seconds on a couple of megabytes of tiny
    tags; everything a preview needs sits in the head and the opening
    paragraphs, well within the budget on real pages.
    """
    position = -1
    for _ in range(MAX_MARKUP_TAGS):
        position = html.find("<", position + 1)
        if position == -1:
            return html
    return html[:position]


def defuse_markup(html: str) -> str:
    """Escape markup openers that have no terminator anywhere after them.

    Python's html.parser rescans to the end of the document for every such
    opener ("<a x=" or "<!--" with no closing ">" or "-->"), which is
    quadratic: a few dozen kilobytes of them take minutes. Browsers would
    treat that tail as text or comment, so turning it into text loses nothing
    a preview needs.
    """
    for opener, closer in (("<", ">"), ("<!--", "-->"), ("<![", "]]>")):
        end = html.rfind(closer)
        cut = end + len(closer) if end >= 0 else 0
        tail = html[cut:]
        if opener in tail:
            html = html[:cut] + tail.replace(opener, "&lt;" + opener[1:])
    return html
