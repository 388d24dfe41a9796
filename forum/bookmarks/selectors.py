"""Reads for the bookmarks page."""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from forum.bookmarks.models import Bookmark
from forum.core.pagination import PageNav, page_nav
from forum.posts.models import Post


@dataclass
class BookmarksPage:
    bookmarks: list[Bookmark]
    nav: PageNav
    labels: list[str]  # every label the member uses, for the filter
    label: str  # the one chosen, or ""
    total: int


def per_page() -> int:
    return getattr(settings, "FORUM_BOOKMARKS_PER_PAGE", 20)


def member_labels(user) -> list[str]:
    """The member's labels, alphabetically (case-insensitive), one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT l FROM bookmarks_bookmark b, unnest(b.labels) AS l"
            " WHERE b.user_id = %s",
            [user.pk],
        )
        return sorted((row[0] for row in cursor.fetchall()), key=str.casefold)


def bookmarks_page(user, page: int, label: str = "") -> BookmarksPage:
    """The member's bookmarks of posts they may still see, newest first, one
    page; with `label`, only those carrying it. Queries: the labels, the count
    and the page (posts, threads, forums and authors joined)."""
    rows = Bookmark.objects.filter(user=user, post__in=Post.objects.visible_to(user))
    if label:
        rows = rows.filter(labels__contains=[label])
    total = rows.count()
    nav = page_nav(page, max(1, -(-total // per_page())))
    start = (nav.current - 1) * per_page()
    shown = list(
        rows.select_related(
            "post", "post__author", "post__thread", "post__thread__node"
        )
        .defer("post__body", "post__search_vector")
        .order_by("-id")[start : start + per_page()]
    )
    return BookmarksPage(
        bookmarks=shown,
        nav=nav,
        labels=member_labels(user),
        label=label,
        total=total,
    )
