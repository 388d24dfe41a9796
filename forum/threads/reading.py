"""What each member has read: unread markers and "mark read". (The first unread
post of a thread is forum.discovery.reading's: it reads posts.)

A thread is unread for a member when all of these hold:

- its last post is newer than the read-marking horizon (FORUM_READ_MARKING_DAYS, 30
  by default): older activity counts as read, as on XenForo, so a new member does
  not see the whole board in bold and the work is bounded;
- its last post is newer than the member's "mark forum read" time for its forum
  (NodeRead.read_at), when there is one;
- the member never opened it, or has not read up to its last visible post
  (ThreadRead.last_read_position below Thread.last_post_position, the position of
  its last visible post). Not Thread.last_position, because a deleted last post
  keeps its position while the thread's last post moves back to a post the member
  did see.

Guests have no read state: nothing is stored for them and nothing is marked.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.utils import timezone

from forum.threads.models import Node, NodeRead, Thread, ThreadRead


def read_horizon():
    """Activity older than this counts as read for everyone."""
    days = getattr(settings, "FORUM_READ_MARKING_DAYS", 30)
    return timezone.now() - timedelta(days=days)


# --- for pages with shared renders: a few facts in, the unread ones out ----------

_READ_STATE_SQL = """
SELECT 't', thread_id, last_read_position, NULL FROM threads_threadread
 WHERE user_id = %(user)s AND thread_id = ANY(%(threads)s)
UNION ALL
SELECT 'n', node_id, NULL, read_at FROM threads_noderead
 WHERE user_id = %(user)s AND node_id = ANY(%(nodes)s)
"""


def unread_thread_ids(user, threads) -> set[int]:
    """Which of these threads (anything with pk, node_id, last_post_at and
    last_post_position) are unread for the member, by the rule above: one query
    for them all, none for a guest or an empty list."""
    if not user.is_authenticated or not user.pk:
        return set()
    horizon = read_horizon()
    recent = [t for t in threads if t.last_post_at and t.last_post_at > horizon]
    if not recent:
        return set()
    positions, node_read = {}, {}
    with connection.cursor() as cursor:
        cursor.execute(
            _READ_STATE_SQL,
            {
                "user": user.pk,
                "threads": [t.pk for t in recent],
                "nodes": sorted({t.node_id for t in recent}),
            },
        )
        for kind, pk, position, read_at in cursor.fetchall():
            if kind == "t":
                positions[pk] = position
            else:
                node_read[pk] = read_at
    return {
        t.pk
        for t in recent
        if (t.node_id not in node_read or t.last_post_at > node_read[t.node_id])
        and (positions.get(t.pk) is None or positions[t.pk] < t.last_post_position)
    }


# Written so the planner walks recent threads (an index range on last_post_at)
# and stops at the first unread one per forum: a semi-join on the thread list
# scanned every thread of every forum (52 ms against 5 ms on the 1M-post board).
_UNREAD_NODES_SQL = """
SELECT n.id FROM unnest(%(nodes)s::bigint[]) AS n(id)
LEFT JOIN threads_noderead r ON r.node_id = n.id AND r.user_id = %(user)s
WHERE EXISTS (
  SELECT 1 FROM threads_thread t
  LEFT JOIN threads_threadread m ON m.thread_id = t.id AND m.user_id = %(user)s
   WHERE t.node_id = n.id AND NOT t.is_deleted
     AND t.last_post_at > %(horizon)s
     AND (r.read_at IS NULL OR t.last_post_at > r.read_at)
     AND (m.last_read_position IS NULL OR m.last_read_position < t.last_post_position)
   ORDER BY t.last_post_at DESC LIMIT 1)
"""


def unread_node_ids(user, nodes) -> set[int]:
    """Which of these forums (anything with pk and last_post_at) hold a thread
    unread for the member: one query, asked only of forums with activity since
    the horizon."""
    if not user.is_authenticated or not user.pk:
        return set()
    horizon = read_horizon()
    candidates = [n.pk for n in nodes if n.last_post_at and n.last_post_at > horizon]
    if not candidates:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            _UNREAD_NODES_SQL,
            {"nodes": candidates, "user": user.pk, "horizon": horizon},
        )
        return {pk for (pk,) in cursor.fetchall()}


def unread_fillers(user, facts_of: dict) -> dict:
    """The fillers of a list page's unread markers (forum/core/perviewer.py
    `{% state %}` parts): "unread" for a thread row, "unread-node" for a forum
    row (and every forum below it). `facts_of` holds what the page showed:
    "threads" (ThreadFacts), "nodes" (NodeFacts), "subtrees" (row -> node ids).
    The member's read state is asked once a page, when a row first needs it."""
    threads = facts_of.get("threads", [])
    nodes = facts_of.get("nodes", [])
    subtrees = facts_of.get("subtrees", {})
    found: dict = {}

    def unread_threads() -> set[int]:
        if "threads" not in found:
            found["threads"] = unread_thread_ids(user, threads)
        return found["threads"]

    def unread_nodes() -> set[int]:
        if "nodes" not in found:
            found["nodes"] = unread_node_ids(user, nodes)
        return found["nodes"]

    def thread(arg, inner):
        return int(arg) in unread_threads()

    def node(arg, inner):
        below = subtrees.get(int(arg), [int(arg)])
        return any(pk in unread_nodes() for pk in below)

    return {"unread": thread, "unread-node": node}


def _unread_condition(horizon) -> Q:
    """Needs the aliases set by `with_unread` (`_read_position`, `_node_read_at`)."""
    return (
        Q(last_post_at__gt=horizon)
        & (Q(_node_read_at__isnull=True) | Q(last_post_at__gt=F("_node_read_at")))
        & (
            Q(_read_position__isnull=True)
            | Q(_read_position__lt=F("last_post_position"))
        )
    )


def with_unread(threads, user):
    """Annotate a Thread queryset with `is_unread` for this member, in the same
    query (three index lookups per row); always False for guests."""
    if not user.is_authenticated:
        return threads.annotate(is_unread=Value(False, output_field=BooleanField()))
    return threads.alias(
        _read_position=Subquery(
            ThreadRead.objects.filter(user=user, thread=OuterRef("pk")).values(
                "last_read_position"
            )[:1]
        ),
        _node_read_at=Subquery(
            NodeRead.objects.filter(user=user, node=OuterRef("node_id")).values(
                "read_at"
            )[:1]
        ),
    ).annotate(
        is_unread=ExpressionWrapper(
            _unread_condition(read_horizon()), output_field=BooleanField()
        )
    )


def unread_threads(user):
    """Visible threads with unread posts for this member (none for guests)."""
    if not user.is_authenticated:
        return Thread.objects.none()
    threads = Thread.objects.visible().filter(last_post_at__gt=read_horizon())
    return with_unread(threads, user).filter(is_unread=True)


def with_node_unread(nodes, user):
    """Annotate a Node queryset with `has_unread`: the forum holds a thread with
    unread posts. One EXISTS per node inside the same query, so the forum index
    still costs one query however many forums it shows."""
    if not user.is_authenticated:
        return nodes.annotate(has_unread=Value(False, output_field=BooleanField()))
    horizon = read_horizon()
    node_read_at = NodeRead.objects.filter(user=user, node=OuterRef("pk")).values(
        "read_at"
    )[:1]
    threads = unread_threads(user).filter(node=OuterRef("pk"))
    return nodes.alias(_forum_read_at=Subquery(node_read_at)).annotate(
        has_unread=ExpressionWrapper(
            # The node's own last post date rules most forums out without
            # looking at a thread.
            Q(last_post_at__gt=horizon)
            & (Q(_forum_read_at__isnull=True) | Q(last_post_at__gt=F("_forum_read_at")))
            & Exists(threads),
            output_field=BooleanField(),
        )
    )


def descendant_ids(node: Node) -> list[int]:
    """The node and every node below it (nodes are few: walk them in memory)."""
    return list(subtree_post_counts(node.pk))


def subtree_post_counts(pk: int) -> dict[int, int]:
    """The node and every node below it, each with its post count (one query on
    the nodes, walked in memory)."""
    children: dict[int | None, list[int]] = {}
    counts: dict[int, int] = {}
    for node_pk, parent_id, post_count in Node.objects.values_list(
        "pk", "parent_id", "post_count"
    ):
        children.setdefault(parent_id, []).append(node_pk)
        counts[node_pk] = post_count
    found: dict[int, int] = {}
    stack = [pk]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found[current] = counts.get(current, 0)
        stack.extend(children.get(current, []))
    return found


def _mark_nodes_read(user, node_ids) -> int:
    now = timezone.now()
    rows = [NodeRead(user=user, node_id=pk, read_at=now) for pk in node_ids]
    NodeRead.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["user", "node"],
        update_fields=["read_at"],
    )
    return len(rows)


@transaction.atomic
def mark_node_read(*, user, node: Node) -> int:
    """Everything posted so far in this forum and the forums below it counts as
    read for the member. Returns how many forums were marked; guests mark none."""
    if not user.is_authenticated:
        return 0
    return _mark_nodes_read(user, descendant_ids(node))


@transaction.atomic
def mark_all_read(*, user) -> int:
    """Everything posted so far anywhere counts as read for the member."""
    if not user.is_authenticated:
        return 0
    return _mark_nodes_read(user, list(Node.objects.values_list("pk", flat=True)))
