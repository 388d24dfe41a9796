"""Extract article metadata (headline, outlet, author, date...) from HTML.

News sites describe their articles in several overlapping vocabularies. We
prefer the most structured one available: schema.org JSON-LD first, then
OpenGraph, then Twitter cards, and finally the document itself (``<title>``
and the opening paragraphs). Pages in the wild are frequently malformed, so
every step is defensive: parse_article never raises.

The sources live in their own modules: ``jsonld``, ``page`` (meta tags and the
document body) and ``text`` (helpers); ``article`` combines them.
"""

from forum.news.metadata.article import ArticleMeta, parse_article
from forum.news.metadata.text import truncate_words

__all__ = ["ArticleMeta", "parse_article", "truncate_words"]
