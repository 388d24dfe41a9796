"""Template helpers for quoted articles: cards in post bodies, a published date."""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from forum.news.embeds import swap_cards

register = template.Library()


@register.filter
def with_news_cards(body_html, news):
    """A post's sanitized HTML with its article embeds swapped for the cards in
    ``news`` (a PostNews from forum.news.selectors.news_for_posts).

    ``body_html`` is the renderer's sanitized output (the only post text that is
    ever marked safe); the cards are rendered from an autoescaping template."""
    return mark_safe(swap_cards(str(body_html), news))  # noqa: S308


@register.simple_tag
def news_date(value):
    """A <time> element for a publication date (a date, not a moment)."""
    if not value:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>',
        value.isoformat(),
        date_format(value, "M j, Y"),
    )
