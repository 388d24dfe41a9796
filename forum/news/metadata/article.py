"""An article's metadata, preferring the most structured source a page offers."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from bs4 import BeautifulSoup
from bs4.element import Tag

from forum.news.metadata.jsonld import JsonLd, json_ld_blocks
from forum.news.metadata.page import (
    BOILERPLATE,
    article_paragraphs,
    defuse_markup,
    document_title,
    find_dateline,
    limit_markup,
    link_canonical,
    meta,
    meta_authors,
    meta_tags,
    strip_site_name,
)
from forum.news.metadata.text import (
    absolute_http_url,
    first,
    host_name,
    parse_date,
    truncate_words,
)

# One logger for the package, under the name the module always had.
logger = logging.getLogger("forum.news.metadata")

EXCERPT_LENGTH = 500
HEADLINE_LENGTH = 300
NAME_LENGTH = 200


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


def _parse(html: str, base_url: str) -> ArticleMeta:
    # JSON-LD is taken from the whole document: some sites put it at the very
    # end of the body, past where a huge page gets cut for the HTML parser.
    ld = JsonLd(json_ld_blocks(html))
    soup = BeautifulSoup(defuse_markup(limit_markup(html)), "html.parser")
    tags = meta_tags(soup)
    for tag in soup.find_all(BOILERPLATE[:4]):
        if isinstance(tag, Tag):
            tag.decompose()

    host = host_name(base_url)
    publication = first(
        ld.publisher(),
        meta(tags, "og:site_name", "application-name"),
        host,
    )

    headline = first(
        ld.headline(),
        meta(tags, "og:title", "twitter:title"),
        document_title(soup),
    )
    # "Budget passed - Dawn" on dawn.com: the bare domain label names the
    # site too, even when no metadata spells the name out.
    site_names = [publication, host, host.split(".")[0], meta(tags, "og:site_name")]
    headline = strip_site_name(headline, site_names)

    author = first(
        ld.authors(),
        meta_authors(tags, "article:author"),
        meta_authors(tags, "author", "byl", "dc.creator", "parsely-author"),
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
            published = parse_date(meta(tags, key))
            if published is not None:
                break
    if published is None:
        time_tag = soup.find("time", datetime=True)
        if time_tag is not None:
            published = parse_date(time_tag.get("datetime"))

    image_url = ld.image(base_url)
    if not image_url:
        for key in (
            "og:image:secure_url",
            "og:image",
            "og:image:url",
            "twitter:image",
            "twitter:image:src",
        ):
            image_url = absolute_http_url(meta(tags, key), base_url)
            if image_url:
                break

    paragraphs = article_paragraphs(soup)
    description = first(
        ld.text("description"),
        meta(tags, "og:description", "twitter:description", "description"),
    )
    excerpt = description or " ".join(paragraphs)

    dateline = first(
        find_dateline(paragraphs[0]) if paragraphs else "",
        find_dateline(description),
    )

    canonical_url = first(
        ld.url(base_url),
        absolute_http_url(meta(tags, "og:url"), base_url),
        absolute_http_url(link_canonical(soup), base_url),
        absolute_http_url(base_url, base_url),
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
            publication=host_name(base_url),
            canonical_url=absolute_http_url(base_url, base_url),
        )
