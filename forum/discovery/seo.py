"""What a thread page tells search engines and link previews about itself: the
opening words of its first post and the picture of the first article it quotes.

Both change rarely and matter only to crawlers and link previews, so they are
kept in the "pages" cache (off the database) for FORUM_THREAD_META_SECONDS (ten
minutes by default); on page 1 the opening words come from the post already on
the page.
"""

import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.utils.html import strip_tags
from django.utils.text import Truncator

from forum.core import versions
from forum.posts import extensions
from forum.posts.models import Post
from forum.threads.models import Thread

DESCRIPTION_LENGTH = 200
_SPACE = re.compile(r"\s+")
_URL = re.compile(r"\bhttps?://\S+")


@dataclass(frozen=True)
class ThreadSummary:
    description: str  # plain text: escape it where it is shown
    image_url: str  # storage URL, maybe relative; "" when there is none


def plain_excerpt(
    body_html: str, length: int = DESCRIPTION_LENGTH, *, drop_urls: bool = False
) -> str:
    """Rendered post HTML as one line of plain text, cut at a word; without bare
    web addresses when asked (a quoted article's link says nothing in a summary)."""
    text = html.unescape(strip_tags(body_html.replace("<", " <")))
    if drop_urls:
        text = _URL.sub(" ", text)
    text = _SPACE.sub(" ", text).strip()
    return Truncator(text).chars(length)


def _describe(body_html: str) -> str:
    return plain_excerpt(body_html, drop_urls=True)


def _image_url(name: str | None) -> str:
    return default_storage.url(name) if name else ""


def _load(thread: Thread, first_post) -> tuple[str, str]:
    if first_post is None:
        first_post = (
            Post.objects.visible()
            .filter(pk=thread.first_post_id)
            .only("pk", "body_html")
            .first()
        )
        if first_post is None:
            return "", ""
    image = extensions.post_pictures([first_post]).get(first_post.pk)
    return _describe(first_post.body_html), _image_url(image)


def thread_summary(thread: Thread, *, first_post=None) -> ThreadSummary:
    """The thread's description and picture; at most one query, none while the
    cached copy is fresh. Pass the first post when the page already holds it."""
    cache = caches["pages"]
    # Under the thread's version: an edited first post or a new picture is seen
    # on the next view, not ten minutes later.
    version = versions.current([f"thread:{thread.pk}"])
    key = f"thread-meta:{thread.pk}:{thread.first_post_id}:{version}"
    cached = cache.get(key)
    if cached is None:
        cached = _load(thread, first_post)
        seconds = getattr(settings, "FORUM_THREAD_META_SECONDS", 600)
        if seconds > 0:
            cache.set(key, cached, seconds)
    description, image_url = cached
    if first_post is not None:  # the text on the page is never stale
        description = _describe(first_post.body_html)
    return ThreadSummary(description=description, image_url=image_url)
