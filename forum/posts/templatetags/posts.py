"""Thread-page helpers."""

import re
import threading
from collections import OrderedDict

from django import template
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import mark_safe

register = template.Library()

_CARD_LIMIT = 5000
_cards: OrderedDict = OrderedDict()
_lock = threading.Lock()


def _card_key(post, author_title: str, shared: bool) -> tuple:
    author = post.author
    facts = None
    if author is not None:
        facts = (
            author.pk,
            author.username,
            author.is_deleted_member,
            author.avatar,
            author.date_joined,
            author.message_count,
            author.reaction_score,
            str(author.country),
            author.location,
            author.is_staff,
        )
    # The card shows a date: a shared render keeps a slot for it, a page of the
    # viewer's own shows it in their time zone.
    zone = "" if shared else timezone.get_current_timezone_name()
    return (post.author_name, author_title, facts, shared, zone)


@register.simple_tag(takes_context=True)
def author_card(context, post, author_title: str = ""):
    """The author card beside a post. A megathread page shows the same few authors
    over and over, so each distinct card is rendered once per process; the key holds
    every fact the card shows, so a changed count or avatar renders afresh."""
    shared = bool(context.get("SHARED_RENDER"))
    key = _card_key(post, author_title, shared)
    with _lock:
        html = _cards.get(key)
        if html is not None:
            _cards.move_to_end(key)
            return html
    html = mark_safe(  # noqa: S308 - the output of an autoescaping template
        render_to_string(
            "posts/_author_card.html",
            {"post": post, "author_title": author_title, "SHARED_RENDER": shared},
        )
    )
    with _lock:
        _cards[key] = html
        if len(_cards) > _CARD_LIMIT:
            _cards.popitem(last=False)
    return html


_QUOTED = re.compile(r'\[quote="([^",\]]{1,50})', re.IGNORECASE)


@register.filter
def replying_to(post) -> str:
    """The member a post first quotes, for its heading ("Post #4 by Desert
    Hawk, replying to Ayesha R."); empty when it quotes nobody else."""
    found = _QUOTED.search(post.body or "")
    name = found.group(1).strip() if found else ""
    return "" if name == post.author_name else name


@register.filter
def row_after(rows, index: int):
    """The row after the `index`-th (forloop.counter): where "Skip to next post"
    goes; None after the last."""
    return rows[index] if 0 <= index < len(rows) else None


# The default reaction set's pictures, shipped in static/reactions/ (drawn as
# SVG: no emoji font needed). A type with an uploaded image uses it; any other
# type shows its emoji.
SHIPPED_ICONS = {"like", "love", "haha", "wow", "sad", "angry"}


@register.simple_tag
def reaction_icon_url(reaction_type) -> str:
    if reaction_type is None:
        return ""
    if reaction_type.image:
        return reaction_type.image.url
    name = (reaction_type.name or "").strip().lower()
    return static(f"reactions/{name}.svg") if name in SHIPPED_ICONS else ""
