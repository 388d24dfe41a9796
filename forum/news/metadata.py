"""Extract article metadata (headline, outlet, author, date...) from HTML.

News sites describe their articles in several overlapping vocabularies. We
prefer the most structured one available: schema.org JSON-LD first, then
OpenGraph, then Twitter cards, and finally the document itself (``<title>``
and the opening paragraphs). Pages in the wild are frequently malformed, so
every step is defensive: parse_article never raises.
"""

from __future__ import annotations

import datetime
import email.utils
import html as html_lib
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup
from bs4.element import Tag

__all__ = ["ArticleMeta", "parse_article"]

logger = logging.getLogger(__name__)

EXCERPT_LENGTH = 500
MAX_MARKUP_TAGS = 30_000
MAX_JSON_LD_BLOCKS = 30
HEADLINE_LENGTH = 300
NAME_LENGTH = 200

_ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "askpublicnewsarticle",
        "satiricalarticle",
        "report",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "scholarlyarticle",
        "techarticle",
    }
)

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
# Neither pattern may run past the next "<": on text full of unclosed "<" an
# unbounded run would rescan to the end from every one of them.
_TAG_RE = re.compile(r"<[^<>]*>")
_SCRIPT_OPEN = re.compile(r"<script\b(?P<attrs>[^<>]{0,1000})>", re.IGNORECASE)
_SCRIPT_CLOSE = re.compile(r"</script\s*>", re.IGNORECASE)
_LD_JSON_TYPE = re.compile(
    r"""\btype\s*=\s*["']?\s*application/ld\+json""", re.IGNORECASE
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASH_DATE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")

# Elements whose text is not part of the article.
_BOILERPLATE = (
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


@dataclass
class ArticleMeta:
    """What a link preview shows about an article; empty strings when unknown."""

    headline: str = ""
    publication: str = ""
    author: str = ""
    published: datetime.date | None = None
    dateline: str = ""
    image_url: str = ""
    excerpt: str = ""
    canonical_url: str = ""


# ---------------------------------------------------------------------------
# Small text helpers
# ---------------------------------------------------------------------------


def _clean(value: Any) -> str:
    """Collapse whitespace in a string; anything else becomes ''."""
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())


def _clean_markup(value: Any) -> str:
    """Like _clean, for JSON-LD strings that may carry entities or tags."""
    text = _clean(value)
    if not text:
        return ""
    if "<" in text:
        text = _TAG_RE.sub(" ", text)
    return _clean(html_lib.unescape(text))


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


def _first(*values: str) -> str:
    for value in values:
        if value:
            return value
    return ""


def _absolute_http_url(value: str, base_url: str) -> str:
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


def _host_name(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def _comparable(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def _parse_date(value: Any) -> datetime.date | None:
    """Read the calendar date from an ISO 8601 or RFC 2822 timestamp."""
    text = _clean(value)
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


# ---------------------------------------------------------------------------
# JSON-LD
# ---------------------------------------------------------------------------


def _load_json(text: str) -> Any:
    text = text.strip()
    # Some CMSes wrap the JSON in an HTML comment or CDATA, or end it with ";".
    for prefix, suffix in (("<!--", "-->"), ("/*<![CDATA[*/", "/*]]>*/")):
        if text.startswith(prefix) and text.endswith(suffix):
            text = text[len(prefix) : -len(suffix)].strip()
    text = text.rstrip(";").strip()
    if not text:
        return None
    try:
        # strict=False tolerates raw newlines inside strings, which are common.
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):
        return None


def _walk(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Yield every JSON object in ``node``, parents before their children."""
    if depth > 6:
        return
    if isinstance(node, dict):
        yield node
        for value in node.values():
            if isinstance(value, dict | list):
                yield from _walk(value, depth + 1)
    elif isinstance(node, list):
        for item in node[:200]:
            yield from _walk(item, depth + 1)


def _types(obj: dict[str, Any]) -> set[str]:
    raw = obj.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    names = set()
    for value in values:
        if isinstance(value, str):
            # "schema:NewsArticle" and "http://schema.org/NewsArticle" occur too.
            names.add(re.split(r"[/:#]", value)[-1].strip().lower())
    return names


class _JsonLd:
    """The article object from a page's JSON-LD, with @id references resolved."""

    def __init__(self, blocks: Iterable[str]) -> None:
        self.article: dict[str, Any] = {}
        self._by_id: dict[str, dict[str, Any]] = {}
        objects: list[dict[str, Any]] = []
        for block in blocks:
            objects.extend(_walk(_load_json(block)))
        for obj in objects:
            node_id = obj.get("@id")
            # A bare {"@id": ...} is a reference, not the node's definition.
            if isinstance(node_id, str) and set(obj) - {"@id", "@type"}:
                self._by_id.setdefault(node_id, obj)
        for obj in objects:
            if _types(obj) & _ARTICLE_TYPES:
                self.article = obj
                break

    def _resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and set(value) <= {"@id", "@type"}:
            node_id = value.get("@id")
            if isinstance(node_id, str):
                return self._by_id.get(node_id, value)
        return value

    def _items(self, value: Any) -> Iterable[Any]:
        values = value if isinstance(value, list) else [value]
        return [self._resolve(item) for item in values[:20]]

    def _names(self, value: Any) -> list[str]:
        names: list[str] = []
        for item in self._items(value):
            if isinstance(item, dict):
                name = _clean_markup(item.get("name"))
            else:
                name = _clean_markup(item)
            if name and not name.startswith(("http://", "https://")):
                if name not in names:
                    names.append(name)
        return names

    def text(self, key: str) -> str:
        value = self.article.get(key)
        if isinstance(value, list):
            value = next((item for item in value if isinstance(item, str)), "")
        return _clean_markup(value)

    def headline(self) -> str:
        return _first(self.text("headline"), self.text("name"))

    def authors(self) -> str:
        return ", ".join(self._names(self.article.get("author")))

    def publisher(self) -> str:
        names = self._names(self.article.get("publisher"))
        return names[0] if names else ""

    def published(self) -> datetime.date | None:
        value = self.article.get("datePublished")
        if isinstance(value, list):
            value = value[0] if value else None
        return _parse_date(value)

    def image(self, base_url: str) -> str:
        for item in self._items(self.article.get("image")):
            if isinstance(item, dict):
                item = item.get("url") or item.get("contentUrl") or ""
                if isinstance(item, list):
                    item = item[0] if item else ""
            if isinstance(item, str):
                url = _absolute_http_url(item, base_url)
                if url:
                    return url
        return ""

    def url(self, base_url: str) -> str:
        candidates = [self.article.get("url")]
        main = self._resolve(self.article.get("mainEntityOfPage"))
        candidates.append(main.get("@id") if isinstance(main, dict) else main)
        for candidate in candidates:
            if isinstance(candidate, str):
                url = _absolute_http_url(candidate, base_url)
                if url:
                    return url
        return ""


# ---------------------------------------------------------------------------
# Meta tags and the document body
# ---------------------------------------------------------------------------


def _meta_tags(soup: BeautifulSoup) -> dict[str, list[str]]:
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


def _meta(tags: dict[str, list[str]], *keys: str) -> str:
    for key in keys:
        for value in tags.get(key, ()):
            cleaned = _clean(value)
            if cleaned:
                return cleaned
    return ""


def _meta_authors(tags: dict[str, list[str]], *keys: str) -> str:
    names: list[str] = []
    for key in keys:
        for value in tags.get(key, ()):
            name = _clean(value)
            # article:author is often a profile URL rather than a name.
            if name and "://" not in name and name not in names:
                names.append(name)
        if names:
            break
    return ", ".join(names)


def _paragraphs(soup: BeautifulSoup, limit: int = 12) -> list[str]:
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
            text = _clean(node.get_text(" "))
            # Bylines, share buttons and "Advertisement" labels are short.
            if len(text.split()) >= 5:
                texts.append(text)
            continue
        children = [
            child
            for child in node.children
            if isinstance(child, Tag) and child.name not in _BOILERPLATE
        ]
        stack.extend(reversed(children))
    return texts


def _dateline(text: str) -> str:
    match = _DATELINE.match(text)
    if not match:
        return ""
    place = match["place"].strip(" .-'")
    letters = sum(char.isalpha() for char in place)
    if letters < 3 or place in _NOT_PLACES:
        return ""
    return place.title()


def _strip_site_name(headline: str, site_names: Iterable[str]) -> str:
    """Drop a " | Site" suffix (or "Site | " prefix) naming the publication."""
    wanted = {_comparable(name) for name in site_names if name}
    wanted.discard("")
    if not wanted:
        return headline
    for separator in _TITLE_SEPARATORS:
        if separator not in headline:
            continue
        head, _, tail = headline.rpartition(separator)
        if head and _comparable(tail) in wanted:
            return head.strip()
        first, _, rest = headline.partition(separator)
        if rest and _comparable(first) in wanted:
            return rest.strip()
    return headline


def _document_title(soup: BeautifulSoup) -> str:
    title = soup.find("title")
    text = _clean(title.get_text(" ")) if title else ""
    if text:
        return text
    heading = soup.find("h1")
    return _clean(heading.get_text(" ")) if heading else ""


def _link_canonical(soup: BeautifulSoup) -> str:
    for link in soup.find_all("link", href=True):
        rel = link.get("rel") or []
        rels = rel if isinstance(rel, list) else str(rel).split()
        if any(value.lower() == "canonical" for value in rels):
            href = link.get("href")
            if isinstance(href, str):
                return href
    return ""


def _json_ld_blocks(html: str) -> list[str]:
    """Contents of the JSON-LD script elements, found by a linear scan."""
    blocks: list[str] = []
    position = 0
    while len(blocks) < MAX_JSON_LD_BLOCKS:
        opening = _SCRIPT_OPEN.search(html, position)
        if opening is None:
            break
        closing = _SCRIPT_CLOSE.search(html, opening.end())
        if closing is None:
            break
        if _LD_JSON_TYPE.search(opening["attrs"]):
            blocks.append(html[opening.end() : closing.start()])
        position = closing.end()
    return blocks


def _limit_markup(html: str) -> str:
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


def _defuse_markup(html: str) -> str:
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


def _parse(html: str, base_url: str) -> ArticleMeta:
    # JSON-LD is taken from the whole document: some sites put it at the very
    # end of the body, past where a huge page gets cut for the HTML parser.
    ld = _JsonLd(_json_ld_blocks(html))
    soup = BeautifulSoup(_defuse_markup(_limit_markup(html)), "html.parser")
    tags = _meta_tags(soup)
    for tag in soup.find_all(_BOILERPLATE[:4]):
        if isinstance(tag, Tag):
            tag.decompose()

    host = _host_name(base_url)
    publication = _first(
        ld.publisher(),
        _meta(tags, "og:site_name", "application-name"),
        host,
    )

    headline = _first(
        ld.headline(),
        _meta(tags, "og:title", "twitter:title"),
        _document_title(soup),
    )
    # "Budget passed - Dawn" on dawn.com: the bare domain label names the
    # site too, even when no metadata spells the name out.
    site_names = [publication, host, host.split(".")[0], _meta(tags, "og:site_name")]
    headline = _strip_site_name(headline, site_names)

    author = _first(
        ld.authors(),
        _meta_authors(tags, "article:author"),
        _meta_authors(tags, "author", "byl", "dc.creator", "parsely-author"),
    )
    if author.lower().startswith("by "):
        author = author[3:].strip()

    published = ld.published()
    if published is None:
        for key in (
            "article:published_time",
            "datepublished",
            "pubdate",
            "publishdate",
            "date",
            "dc.date",
            "dc.date.issued",
            "parsely-pub-date",
            "sailthru.date",
        ):
            published = _parse_date(_meta(tags, key))
            if published is not None:
                break
    if published is None:
        time_tag = soup.find("time", datetime=True)
        if time_tag is not None:
            published = _parse_date(time_tag.get("datetime"))

    image_url = ld.image(base_url)
    if not image_url:
        for key in (
            "og:image:secure_url",
            "og:image",
            "og:image:url",
            "twitter:image",
            "twitter:image:src",
        ):
            image_url = _absolute_http_url(_meta(tags, key), base_url)
            if image_url:
                break

    paragraphs = _paragraphs(soup)
    description = _first(
        ld.text("description"),
        _meta(tags, "og:description", "twitter:description", "description"),
    )
    excerpt = description or " ".join(paragraphs)

    dateline = _first(
        _dateline(paragraphs[0]) if paragraphs else "",
        _dateline(description),
    )

    canonical_url = _first(
        ld.url(base_url),
        _absolute_http_url(_meta(tags, "og:url"), base_url),
        _absolute_http_url(_link_canonical(soup), base_url),
        _absolute_http_url(base_url, base_url),
    )

    return ArticleMeta(
        headline=truncate_words(headline, HEADLINE_LENGTH),
        publication=truncate_words(publication, NAME_LENGTH),
        author=truncate_words(author, NAME_LENGTH),
        published=published,
        dateline=dateline,
        image_url=image_url,
        excerpt=truncate_words(excerpt, EXCERPT_LENGTH),
        canonical_url=canonical_url,
    )


def parse_article(html: str, *, base_url: str) -> ArticleMeta:
    """Extract an ArticleMeta from ``html`` fetched from ``base_url``.

    Relative image and canonical URLs are resolved against ``base_url``, whose
    host (without "www.") is the publication name of last resort. Never raises:
    on hopeless input the result is mostly empty.
    """
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not isinstance(html, str):
        html = ""
    if not isinstance(base_url, str):
        base_url = ""
    try:
        return _parse(html, base_url)
    except Exception:
        # A preview is a nicety: a parser bug on one odd page must not turn a
        # member's post into an error page.
        logger.warning(
            "Could not parse article metadata from %s", base_url, exc_info=True
        )
        return ArticleMeta(
            publication=_host_name(base_url),
            canonical_url=_absolute_http_url(base_url, base_url),
        )
