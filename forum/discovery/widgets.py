"""Sidebar widgets: "<forum> Latest Posts" blocks on the index, forum and thread
pages, and tag clouds (the most used tags, forum.threads.tag_counts.cloud).

All the blocks of a page come from one query (a lateral join takes each widget's
newest threads through the forum listing index), and the result is shared by every
viewer for FORUM_SIDEBAR_CACHE_SECONDS (30 by default) in the "pages" cache, which
is off the database: most page views cost no query for the sidebar at all. A new
post may therefore take that long to appear in a block; editing a widget in the
admin shows at once.

A tag cloud counts only the threads its viewer may see (a tag used only in a
private forum must not show its name or count to those who cannot look there),
so the shared widgets keep no cloud of their own: each viewer's is filled in
from a copy kept per audience (the forums a viewer may see; guests share one,
each role's shared render another), one grouped query when that copy is stale.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.urls import reverse

from forum.core import pagecache
from forum.discovery.models import SidebarWidget
from forum.policy import can_view_node
from forum.threads import tag_counts
from forum.threads.models import Node, Thread, slug_kwargs

POSITIONS = {
    "index": "show_on_index",
    "thread": "show_on_threads",
    "forum": "show_on_forums",
}
_VERSION_KEY = "sidebar:version"


@dataclass
class WidgetThread:
    title: str
    url: str
    last_post_url: str
    last_post_at: datetime
    last_poster_name: str
    reply_count: int


@dataclass
class Widget:
    title: str
    node: Node | None
    threads: list[WidgetThread] = field(default_factory=list)
    # A tag cloud (forum.threads.tag_counts.cloud): name, key, thread_count,
    # size; the viewer's, filled in by sidebar_widgets (cloud_limit tags).
    tags: list[dict] | None = None
    cloud_limit: int = 0


def _cache_seconds() -> int:
    return getattr(settings, "FORUM_SIDEBAR_CACHE_SECONDS", 30)


def _cache():
    return caches["pages"]


def forget_widgets() -> None:
    """Drop every cached sidebar (after an administrator changes a widget), and
    the guests' cached pages that show one, once the transaction commits."""

    def bump():
        cache = _cache()
        if not cache.add(_VERSION_KEY, 1, timeout=None):
            try:
                cache.incr(_VERSION_KEY)
            except ValueError:
                cache.set(_VERSION_KEY, 1, timeout=None)

    transaction.on_commit(bump)
    pagecache.invalidate("site")


# Each widget's newest threads by last post. The forum listing index starts with
# (node, is_sticky): one ordered range per is_sticky value, merged, so a busy forum
# costs a few index rows per widget, never a scan of its threads.
_SQL = """
SELECT w.id, w.title, w.kind, w."limit", n.id, n.title, n.slug, n.kind, n.parent_id,
       t.id, t.title, t.slug, t.last_post_at, t.last_post_id, t.last_poster_name,
       t.reply_count
FROM {widget} w
LEFT JOIN {node} n ON n.id = w.node_id
LEFT JOIN LATERAL (
    SELECT * FROM (
        (SELECT * FROM {thread} s
         WHERE s.node_id = w.node_id AND NOT s.is_deleted AND s.is_sticky
         ORDER BY s.last_post_at DESC, s.id DESC LIMIT w."limit")
        UNION ALL
        (SELECT * FROM {thread} s
         WHERE s.node_id = w.node_id AND NOT s.is_deleted AND NOT s.is_sticky
         ORDER BY s.last_post_at DESC, s.id DESC LIMIT w."limit")
    ) recent
    ORDER BY recent.last_post_at DESC, recent.id DESC
    LIMIT w."limit"
) t ON TRUE
WHERE w.is_active AND w.{flag}
ORDER BY w.display_order, w.id, t.last_post_at DESC, t.id DESC
"""


def _load(position: str) -> list[Widget]:
    sql = _SQL.format(
        widget=SidebarWidget._meta.db_table,
        node=Node._meta.db_table,
        thread=Thread._meta.db_table,
        flag=POSITIONS[position],
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    widgets: dict[int, Widget] = {}
    for (
        widget_id,
        widget_title,
        widget_kind,
        widget_limit,
        node_id,
        node_title,
        node_slug,
        node_kind,
        node_parent_id,
        thread_id,
        thread_title,
        thread_slug,
        last_post_at,
        last_post_id,
        last_poster_name,
        reply_count,
    ) in rows:
        widget = widgets.get(widget_id)
        if widget is None and widget_kind == SidebarWidget.Kind.TAGS:
            widgets[widget_id] = Widget(
                title=widget_title or "Tags",
                node=None,
                tags=[],  # nobody's: the viewer's cloud replaces it
                cloud_limit=widget_limit * 6,
            )
            continue
        if widget is None:
            node = Node(
                pk=node_id,
                title=node_title,
                slug=node_slug,
                kind=node_kind,
                parent_id=node_parent_id,
            )
            widget = widgets[widget_id] = Widget(
                title=widget_title or f"{node_title} Latest Posts", node=node
            )
        if thread_id is None:
            continue
        url = reverse("posts:thread", kwargs=slug_kwargs(thread_slug, thread_id))
        widget.threads.append(
            WidgetThread(
                title=thread_title,
                url=url,
                last_post_url=(
                    reverse("posts:post", kwargs={"pk": last_post_id})
                    if last_post_id
                    else url
                ),
                last_post_at=last_post_at,
                last_poster_name=last_poster_name,
                reply_count=reply_count,
            )
        )
    return list(widgets.values())


def _cloud(user, limit: int) -> list[dict]:
    """The tag cloud of this viewer's audience: the copy shared by everyone who
    sees the same forums, or one grouped query."""
    nodes = tag_counts.audience(user)
    seconds = _cache_seconds()
    if seconds <= 0:
        return tag_counts.cloud(nodes, limit=limit)
    cache = _cache()
    key = (
        f"sidebar:cloud:{cache.get(_VERSION_KEY, 0)}:{limit}:"
        f"{tag_counts.audience_key(nodes)}"
    )
    found = cache.get(key)
    if found is None:
        found = tag_counts.cloud(nodes, limit=limit)
        cache.set(key, found, seconds)
    return found


def sidebar_widgets(user, position: str) -> list[Widget]:
    """The widgets configured for a page position ("index", "thread", "forum")
    with their threads, minus forums this viewer may not see, and tag clouds
    counting what this viewer may see. At most one query (and one per tag
    cloud), none while the shared copies are fresh."""
    if position not in POSITIONS:
        raise ValueError(f"Unknown sidebar position: {position!r}")
    seconds = _cache_seconds()
    if seconds > 0:
        cache = _cache()
        # "c": widgets that keep no cloud (older copies kept everyone's).
        key = f"sidebar:c:{position}:{cache.get(_VERSION_KEY, 0)}"
        widgets = cache.get(key)
        if widgets is None:
            widgets = _load(position)
            cache.set(key, widgets, seconds)
    else:
        widgets = _load(position)
    shown = []
    for widget in widgets:
        if widget.cloud_limit:
            widget = replace(widget, tags=_cloud(user, widget.cloud_limit))
        elif widget.node is not None and not can_view_node(user, widget.node):
            continue
        shown.append(widget)
    return shown
