"""RSS feeds: the newest threads of the whole board or of one forum, and the newest
posts of a thread. Only what the requester may see (feed readers are guests).

Links are made absolute from the request's own host, so a feed names the address
it was fetched from whatever the Sites framework holds.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.html import escape

from forum.policy import visible_node_ids
from forum.posts.models import Post
from forum.threads.models import Node, Thread
from forum.threads.prefixes import label_for
from forum.threads.reading import descendant_ids
from forum.threads.selectors import get_node_for_user_or_404, get_thread_for_user_or_404

FEED_ITEMS = 20


def _prefixed(thread) -> str:
    """A thread's title with its prefix as words ("Analysis: ..."): feed
    readers show plain text."""
    prefix = label_for(thread.prefix_id)
    return f"{prefix.label}: {thread.title}" if prefix else thread.title


@dataclass
class FeedSource:
    base: str  # "https://host", to make links absolute
    title: str
    link: str
    description: str
    node: Node | None = None
    thread: Thread | None = None
    user: object = None


@dataclass
class FeedItem:
    title: str
    link: str
    description: str  # sanitized post HTML
    author_name: str
    pubdate: datetime
    category: str = ""


def _base(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


class _ForumFeedBase(Feed):
    """Feeds built from FeedSource and FeedItem: nothing here touches models."""

    def link(self, obj: FeedSource) -> str:
        return obj.link

    def title(self, obj: FeedSource) -> str:
        return obj.title

    def description(self, obj: FeedSource) -> str:
        return obj.description

    def feed_url(self, obj: FeedSource) -> str:
        return obj.link + "index.rss"

    def item_title(self, item: FeedItem) -> str:
        # Readers show an item title as HTML: escape it once here, and the XML
        # writer escapes it again.
        return escape(item.title)

    def item_description(self, item: FeedItem) -> str:
        return item.description

    def item_link(self, item: FeedItem) -> str:
        return item.link

    def item_guid(self, item: FeedItem) -> str:
        return item.link

    def item_author_name(self, item: FeedItem) -> str:
        return item.author_name

    def item_pubdate(self, item: FeedItem) -> datetime:
        return item.pubdate

    def item_categories(self, item: FeedItem):
        return [item.category] if item.category else []


class ForumFeed(_ForumFeedBase):
    """/forums/-/index.rss (every forum) and <forum url>index.rss: the newest
    threads, each with its first post."""

    def get_object(self, request, pk=None, slug=None):
        base = _base(request)
        if pk is None:
            return FeedSource(
                base=base,
                title=settings.SITE_NAME,
                link=base + "/",
                description=f"The newest threads on {settings.SITE_NAME}.",
                user=request.user,
            )
        node = get_node_for_user_or_404(request.user, int(pk))
        return FeedSource(
            base=base,
            title=f"{node.title} | {settings.SITE_NAME}",
            link=base + node.get_absolute_url(),
            description=node.description or f"The newest threads in {node.title}.",
            node=node,
            user=request.user,
        )

    def feed_url(self, obj: FeedSource) -> str:
        if obj.node is None:
            return obj.base + "/forums/-/index.rss"
        return obj.link + "index.rss"

    def items(self, obj: FeedSource) -> list[FeedItem]:
        node_ids = set(visible_node_ids(obj.user))
        if obj.node is not None:
            node_ids &= set(descendant_ids(obj.node))
        threads = list(
            Thread.objects.visible()
            .filter(node_id__in=node_ids)
            .select_related("node")
            .order_by("-created_at", "-id")[:FEED_ITEMS]
        )
        bodies = dict(
            Post.objects.visible()
            .filter(pk__in=[t.first_post_id for t in threads if t.first_post_id])
            .values_list("pk", "body_html")
        )
        return [
            FeedItem(
                title=_prefixed(thread),
                link=obj.base + thread.get_absolute_url(),
                description=bodies[thread.first_post_id],
                author_name=thread.starter_name,
                pubdate=thread.created_at,
                category=thread.node.title,
            )
            for thread in threads
            if thread.first_post_id in bodies
        ]


class ThreadFeed(_ForumFeedBase):
    """<thread url>index.rss: the thread's newest posts."""

    def get_object(self, request, pk, slug=None):
        thread = get_thread_for_user_or_404(request.user, int(pk))
        base = _base(request)
        return FeedSource(
            base=base,
            title=f"{thread.title} | {settings.SITE_NAME}",
            link=base + thread.get_absolute_url(),
            description=f"The newest posts in the thread {thread.title}.",
            thread=thread,
            user=request.user,
        )

    def items(self, obj: FeedSource) -> list[FeedItem]:
        thread = obj.thread
        posts = list(
            Post.objects.visible()
            .filter(thread=thread)
            .order_by("-position")[:FEED_ITEMS]
        )
        items = []
        for post in posts:
            post.thread = thread
            title = thread.title if post.position == 0 else f"Re: {thread.title}"
            items.append(
                FeedItem(
                    title=f"{title} (#{post.number} by {post.author_name})",
                    link=obj.base + post.get_thread_url(),
                    description=post.body_html,
                    author_name=post.author_name,
                    pubdate=post.created_at,
                    category=thread.node.title,
                )
            )
        return items
