"""Whole-page reads for the forum index and forum pages, and the fetch-and-authorize
lookups of nodes and threads (a node or thread the viewer may not see is a 404)."""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.http import Http404

from forum.core.pagination import PageNav, page_nav
from forum.policy import (
    can_start_thread,
    can_view_node,
    can_view_thread,
    child_node_ids,
)
from forum.threads import listing
from forum.threads.models import Node, Thread, ThreadRedirect


@dataclass
class ForumRow:
    node: Node
    subforums: list[Node] = field(default_factory=list)
    thread_count: int = 0
    post_count: int = 0
    last: Node | None = None  # the node (itself or a sub-forum) with the newest post
    # the node and every node below it: its unread marker covers them all
    subtree: list[int] = field(default_factory=list)


@dataclass
class CategoryBlock:
    category: Node
    forums: list[ForumRow]


def _visible_nodes(user) -> list[Node]:
    nodes = Node.objects.select_related("last_thread", "last_poster").order_by(
        "display_order", "id"
    )
    return [node for node in nodes if can_view_node(user, node)]


def forum_index(user) -> list[CategoryBlock]:
    """Categories with their forums; a forum's counts and last post include its
    sub-forums. One query, whatever the number of nodes."""
    nodes = _visible_nodes(user)
    children: dict[int | None, list[Node]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def row_for(node: Node) -> ForumRow:
        row = ForumRow(node=node, subforums=children.get(node.pk, []))
        stack = [node]
        while stack:
            current = stack.pop()
            row.thread_count += current.thread_count
            row.subtree.append(current.pk)
            row.post_count += current.post_count
            if current.last_post_at and (
                row.last is None or current.last_post_at > row.last.last_post_at
            ):
                row.last = current
            stack.extend(children.get(current.pk, []))
        return row

    blocks = []
    for top in children.get(None, []):
        if top.is_category:
            forums = [row_for(n) for n in children.get(top.pk, []) if not n.is_category]
            blocks.append(CategoryBlock(category=top, forums=forums))
        else:
            blocks.append(CategoryBlock(category=top, forums=[row_for(top)]))
    return blocks


def node_breadcrumb(node: Node) -> list[Node]:
    """Ancestors of a node, top first (nodes are few; walk parent ids in memory)."""
    trail = []
    seen = set()
    current = node.parent
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        trail.append(current)
        current = current.parent
    return list(reversed(trail))


# A forum page's threads: one statement, written out and read into model rows with
# only the fields a thread row shows. Built by the ORM per request, compiling the
# query took as long as running it (forum page: 8 ms of 24 in process).
_THREAD_FIELDS = (
    "id",
    "node_id",
    "title",
    "slug",
    "starter_id",
    "starter_name",
    "created_at",
    "reply_count",
    "view_count",
    "last_position",
    "first_post_id",
    "last_post_id",
    "last_post_position",
    "last_post_at",
    "last_poster_name",
    "is_locked",
    "is_sticky",
    "is_deleted",
    "prefix_id",
    "tag_list",
)
_STARTER_FIELDS = ("id", "username", "avatar", "is_deleted_member")
_LISTING_SQL = (
    "SELECT "
    + ", ".join(f"t.{f}" for f in _THREAD_FIELDS)
    + ", "
    + ", ".join(f"u.{f}" for f in _STARTER_FIELDS)
    + """
FROM threads_thread t LEFT JOIN accounts_user u ON u.id = t.starter_id
WHERE t.node_id = %s AND NOT t.is_deleted
ORDER BY t.is_sticky DESC, t.last_post_at DESC, t.id DESC
LIMIT %s OFFSET %s"""
)


def _listing(node: Node, start: int, count: int) -> list[Thread]:
    """The visible threads of a forum in listing order (stickies first, then by
    last post), with their starters: the same rows as
    Thread.objects.visible().in_node(node).listing_order(), starter loaded."""
    with connection.cursor() as cursor:
        cursor.execute(_LISTING_SQL, [node.pk, count, start])
        return _rows(node, cursor)


def _rows(node: Node, cursor, skip: int = 0) -> list[Thread]:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    cut = len(_THREAD_FIELDS)
    threads = []
    for values in cursor.fetchall():
        values = values[skip:]
        thread = Thread.from_db("default", _THREAD_FIELDS, values[:cut])
        if isinstance(thread.tag_list, str):  # raw SQL: jsonb comes as its text
            thread.tag_list = json.loads(thread.tag_list)
        starter = None
        if values[cut] is not None:
            starter = user_model.from_db("default", _STARTER_FIELDS, values[cut:])
        Thread.starter.field.set_cached_value(thread, starter)
        thread.node = node
        threads.append(thread)
    return threads


def _chosen_listing(user, node: Node, choice, page: int):
    """A listing other than the default (forum.threads.listing): the page's
    threads (stickies first on the first page) and the page navigation. Two
    statements: how many threads there are beside the stickies, the page."""
    from django.contrib.auth import get_user_model

    from forum.threads.reading import read_horizon

    starter_id = None
    if choice.starter:
        found = get_user_model().objects.filter(username__iexact=choice.starter)
        starter_id = found.values_list("pk", flat=True).first()
    where, params = listing.conditions(
        choice,
        viewer_id=getattr(user, "pk", None),
        starter_id=starter_id,
        horizon=read_horizon(),
    )
    columns = ", ".join(f"t.{f}" for f in _THREAD_FIELDS) + ", "
    columns += ", ".join(f"u.{f} AS u_{f}" for f in _STARTER_FIELDS)
    sql = listing.statements(
        choice, columns, "LEFT JOIN accounts_user u ON u.id = t.starter_id", where
    )
    per_page = settings.FORUM_THREADS_PER_PAGE
    params["node"] = node.pk
    with connection.cursor() as cursor:
        if choice.filtered:
            cursor.execute(sql["count"], params | {"cap": listing.COUNT_LIMIT})
            total = cursor.fetchone()[0]
        else:
            cursor.execute(sql["stickies"], params)
            total = node.thread_count - cursor.fetchone()[0]
        nav = page_nav(page, -(-total // per_page))
        params |= {"limit": per_page, "offset": (nav.current - 1) * per_page}
        cursor.execute(
            sql["page_with_stickies" if nav.current == 1 else "page"], params
        )
        threads = _rows(node, cursor, skip=1)
    return threads, nav


@dataclass
class ForumPage:
    node: Node
    threads: list[Thread]
    nav: PageNav
    subforums: list[Node]
    breadcrumb: list[Node]
    can_start_thread: bool
    choice: object = None


def forum_page(user, node: Node, page: int, choice=None) -> ForumPage:
    """A forum page: its threads in the order and with the filters of `choice`
    (forum.threads.listing.ListingChoice; None or the default: stickies, then
    by last post), its sub-forums and breadcrumb."""
    if choice is not None and not choice.is_default:
        threads, nav = _chosen_listing(user, node, choice, page)
    else:
        per_page = settings.FORUM_THREADS_PER_PAGE
        total_pages = max(1, -(-node.thread_count // per_page))
        nav = page_nav(page, total_pages)
        start = (nav.current - 1) * per_page
        threads = _listing(node, start, per_page)
    subforums = []
    if child_node_ids(node):  # no query for a forum without sub-forums
        subforums = [
            n
            for n in Node.objects.filter(parent=node).select_related(
                "last_thread", "last_poster"
            )
            if can_view_node(user, n)
        ]
    return ForumPage(
        node=node,
        threads=threads,
        nav=nav,
        subforums=subforums,
        breadcrumb=node_breadcrumb(node),
        can_start_thread=can_start_thread(user, node),
        choice=choice,
    )


# --- what each member has read: the unread markers of these pages ----------------


@dataclass(frozen=True)
class ThreadFacts:
    """What deciding "unread" needs of a thread (kept with a shared render)."""

    pk: int
    node_id: int
    last_post_at: object
    last_post_position: int


@dataclass(frozen=True)
class NodeFacts:
    pk: int
    last_post_at: object


def thread_facts(threads) -> list[ThreadFacts]:
    return [
        ThreadFacts(t.pk, t.node_id, t.last_post_at, t.last_post_position)
        for t in threads
    ]


def node_facts(nodes) -> list[NodeFacts]:
    return [NodeFacts(n.pk, n.last_post_at) for n in nodes]


# --- fetch and authorize ---------------------------------------------------------


def get_node_for_user_or_404(user, pk: int):
    node = Node.objects.filter(pk=pk).first()
    if node is None or not can_view_node(user, node):
        raise Http404("No such forum.")
    return node


class ThreadMerged(Http404):
    """The thread was merged into another: a 404 that BanMiddleware (or any
    handler that knows it) turns into a permanent redirect to `url`."""

    def __init__(self, url: str, reply_url: str | None = None):
        super().__init__("This thread was merged into another.")
        self.url = url
        self.reply_url = reply_url


def _merged_into(user, pk: int):
    moved = ThreadRedirect.objects.select_related("target__node").filter(
        old_thread_id=pk
    )
    found = moved.first()
    if found is not None and can_view_thread(user, found.target):
        target = found.target
        return ThreadMerged(target.get_absolute_url(), target.get_reply_url())
    return Http404("No such thread.")


def get_thread_for_user_or_404(user, pk: int, *, queryset=None):
    qs = queryset if queryset is not None else Thread.objects.select_related("node")
    # Not .first(): ordering a lookup by primary key costs a quarter of it.
    return authorize_thread(user, pk, next(iter(qs.filter(pk=pk)[:1]), None))


def authorize_thread(user, pk: int, thread):
    """The thread `pk` (None if there is no such row) if the member may see it;
    else a 404, or a redirect when it was merged into one they may see."""
    if thread is None:
        raise _merged_into(user, pk)
    if not can_view_thread(user, thread):
        raise Http404("No such thread.")
    return thread


# --- tags -------------------------------------------------------------------------


def get_tag_or_404(key: str):
    """The tag at /tags/<key>/ (a synonym's address is its tag's: the caller
    redirects when the key differs)."""
    from forum.threads.models import Tag

    tag = Tag.objects.select_related("synonym_of").filter(key=key).first()
    if tag is None:
        raise Http404("No such tag.")
    return tag.synonym_of or tag


def hidden_from(user, tag, *, seen: int | None = None) -> bool:
    """Whether the tag is used only where this viewer may not look: threads
    carry it, none of them one they may see, and staff did not make it
    official. To them it is no tag at all (a 404, as for a tag that does not
    exist); a tag no thread carries yet hides nothing. `seen`: how many of its
    threads they may see, when the caller knows."""
    from forum.threads.models import ThreadTag

    if tag.is_official:
        return False
    if seen is None:
        seen = Thread.objects.visible_to(user).filter(thread_tags__tag=tag).count()
    return not seen and ThreadTag.objects.filter(tag=tag).exists()


def get_tag_for_viewer_or_404(user, key: str):
    """The tag at /tags/<key>/ unless it is hidden from this viewer."""
    tag = get_tag_or_404(key)
    if hidden_from(user, tag):
        raise Http404("No such tag.")
    return tag


@dataclass
class TagPage:
    tag: object
    threads: list[Thread]
    nav: PageNav
    total: int


def tag_page(user, tag, page: int) -> TagPage:
    """The threads filed under a tag that this viewer may see (the one
    visibility rule), most recently active first, with their starters and
    forums: a count and a page, two queries."""
    per_page = settings.FORUM_THREADS_PER_PAGE
    threads = Thread.objects.visible_to(user).filter(thread_tags__tag=tag)
    total = threads.count()
    nav = page_nav(page, -(-total // per_page))
    start = (nav.current - 1) * per_page
    rows = list(
        threads.select_related("starter", "node").order_by("-last_post_at", "-id")[
            start : start + per_page
        ]
    )
    return TagPage(tag=tag, threads=rows, nav=nav, total=total)
