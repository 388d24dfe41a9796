"""The ``[NEWS=id]`` BBCode tag: an article card's place in a post.

Registered with core's markup registry in NewsConfig.ready().  The tag renders
to an empty placeholder that forum.news.embeds later swaps for the article's
card; the id is only checked to be a number here (an unknown id stays an empty
placeholder on the page).
"""

from __future__ import annotations

import re

from forum.core.markup import (
    Placeholder,
    Problem,
    extract_tag_values,
    register_tag,
)

__all__ = ["NEWS_TAG", "extract_news_ids", "register_news_tag"]

NEWS_TAG = "news"
_ID_RE = re.compile(r"\d{1,18}")


def _is_news_id(value: str) -> bool:
    return bool(_ID_RE.fullmatch(value))


def news_placeholder(option: str | None) -> Placeholder | Problem:
    """The placeholder for ``[NEWS=option]``, or why the option is not an id."""
    if option is None or not _is_news_id(option):
        return Problem("The [news] tag needs a numeric news id, like [NEWS=12].")
    return Placeholder(f'<div class="news-embed" data-news-id="{int(option)}"></div>')


def register_news_tag() -> None:
    register_tag(
        NEWS_TAG,
        news_placeholder,
        classes={"news-embed"},
        attributes={"div": {"data-news-id": _is_news_id}},
    )


def extract_news_ids(source: str) -> list[int]:
    """Ids from ``[NEWS=ID]`` tags, in order of appearance, without duplicates."""
    ids = (int(value) for value in extract_tag_values(source, NEWS_TAG))
    return list(dict.fromkeys(ids))
