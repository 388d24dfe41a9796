"""What's new: threads with unread posts, new threads, and the latest posts.

Every list is one ordered index range over recent rows (threads by last post or by
start date, posts by date), cut at FORUM_WHATS_NEW_MAX_ITEMS (200), so a page costs
the same on a board of a thousand posts or a million. Only content the viewer may
see: visible threads in forums they may view, visible posts.
"""

from dataclasses import dataclass, field

from django.conf import settings

from forum import policy
from forum.core.pagination import PageNav, page_nav
from forum.discovery.seo import plain_excerpt
from forum.posts.models import Post
from forum.threads.models import Thread
from forum.threads.reading import read_horizon, unread_threads

PER_PAGE = 20


def _max_items() -> int:
    return getattr(settings, "FORUM_WHATS_NEW_MAX_ITEMS", 200)


@dataclass
class WhatsNewPage:
    tab: str  # "posts", "threads" or "activity"
    title: str
    items: list = field(default_factory=list)  # threads, or posts for "activity"
    nav: PageNav = field(default_factory=lambda: page_nav(1, 1))
    unread_only: bool = False  # the "posts" tab of a member: threads with news
    total: int = 0


def _paged(qs, page: int) -> tuple[list, PageNav, int]:
    """One page of an ordered queryset and the capped total (two queries)."""
    total = qs[: _max_items()].count()
    nav = page_nav(page, -(-total // PER_PAGE))
    start = (nav.current - 1) * PER_PAGE
    return list(qs[start : start + PER_PAGE]), nav, total


def _threads(user):
    return (
        Thread.objects.visible()
        .filter(node_id__in=policy.visible_node_ids(user))
        .select_related("node", "starter")
    )


def new_posts(user, page: int, *, unread_only: bool = False) -> WhatsNewPage:
    """The most recently active threads, newest activity first, as on XenForo:
    the same list for everyone who may see the same forums (a member's unread
    ones are marked: a part of the page). `unread_only`: a member's threads with
    unread posts, theirs alone."""
    unread_only = unread_only and user.is_authenticated
    if unread_only:
        threads = (
            unread_threads(user)
            .filter(node_id__in=policy.visible_node_ids(user))
            .select_related("node", "starter")
        )
    else:
        threads = _threads(user).filter(last_post_at__gt=read_horizon())
    items, nav, total = _paged(threads.order_by("-last_post_at", "-id"), page)
    return WhatsNewPage(
        tab="posts",
        title="New posts",
        items=items,
        nav=nav,
        unread_only=unread_only,
        total=total,
    )


def new_threads(user, page: int) -> WhatsNewPage:
    """Threads by start date, newest first, with the viewer's unread markers."""
    threads = _threads(user).order_by("-created_at", "-id")
    items, nav, total = _paged(threads, page)
    return WhatsNewPage(
        tab="threads", title="New threads", items=items, nav=nav, total=total
    )


def latest_activity(user, page: int) -> WhatsNewPage:
    """The latest visible posts anywhere the viewer may look, with excerpts."""

    posts = (
        Post.objects.listed_for(user)
        .select_related("thread", "thread__node", "author")
        .order_by("-created_at", "-id")
    )
    items, nav, total = _paged(posts, page)
    for post in items:
        post.excerpt = plain_excerpt(post.body_html, 300)
    return WhatsNewPage(
        tab="activity", title="Latest activity", items=items, nav=nav, total=total
    )
