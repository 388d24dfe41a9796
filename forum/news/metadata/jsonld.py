"""schema.org JSON-LD: the article object a page describes itself with."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from forum.news.metadata.text import (
    absolute_http_url,
    clean_markup,
    first,
    parse_date,
)

MAX_JSON_LD_BLOCKS = 30

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

# Neither pattern may run past the next "<" (see text._TAG_RE).
_SCRIPT_OPEN = re.compile(r"<script\b(?P<attrs>[^<>]{0,1000})>", re.IGNORECASE)
_SCRIPT_CLOSE = re.compile(r"</script\s*>", re.IGNORECASE)
_LD_JSON_TYPE = re.compile(
    r"""\btype\s*=\s*["']?\s*application/ld\+json""", re.IGNORECASE
)


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


class JsonLd:
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
                name = clean_markup(item.get("name"))
            else:
                name = clean_markup(item)
            if name and not name.startswith(("http://", "https://")):
                if name not in names:
                    names.append(name)
        return names

    def text(self, key: str) -> str:
        value = self.article.get(key)
        if isinstance(value, list):
            value = next((item for item in value if isinstance(item, str)), "")
        return clean_markup(value)

    def headline(self) -> str:
        return first(self.text("headline"), self.text("name"))

    def authors(self) -> str:
        return ", ".join(self._names(self.article.get("author")))

    def publisher(self) -> str:
        names = self._names(self.article.get("publisher"))
        return names[0] if names else ""

    def published(self) -> datetime.date | None:
        value = self.article.get("datePublished")
        if isinstance(value, list):
            value = value[0] if value else None
        return parse_date(value)

    def image(self, base_url: str) -> str:
        for item in self._items(self.article.get("image")):
            if isinstance(item, dict):
                item = item.get("url") or item.get("contentUrl") or ""
                if isinstance(item, list):
                    item = item[0] if item else ""
            if isinstance(item, str):
                url = absolute_http_url(item, base_url)
                if url:
                    return url
        return ""

    def url(self, base_url: str) -> str:
        candidates = [self.article.get("url")]
        main = self._resolve(self.article.get("mainEntityOfPage"))
        candidates.append(main.get("@id") if isinstance(main, dict) else main)
        for candidate in candidates:
            if isinstance(candidate, str):
                url = absolute_http_url(candidate, base_url)
                if url:
                    return url
        return ""


def json_ld_blocks(html: str) -> list[str]:
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
