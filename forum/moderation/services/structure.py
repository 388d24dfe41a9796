"""Moving posts between threads: merge, split, move. The counters move with F()
updates in the same transaction and agree with `recount` afterwards.

Positions: a thread that receives posts is renumbered 0..n-1 — its opening post
keeps 0, every other post follows by (created_at, id) — so page N stays an index
range. A thread that loses posts keeps its positions (gaps are harmless) and its
last_position falls to its highest remaining post, as `recount` has it.

Both threads must be visible (not deleted, not awaiting approval): the posts stay
visible, so no member's message count or reaction score changes.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Max, Q

from forum.core import pagecache
from forum.moderation.services.log import Action, Target, record, thread_label
from forum.notifications.services import follow_moved_posts
from forum.posts.models import Post
from forum.posts.services import _refresh_thread_last_post, index_post
from forum.threads.models import Node, Thread, ThreadRedirect
from forum.threads.services import refresh_node_last_post


class ModerationRefused(Exception):
    """An action that cannot be done as asked; str() is the message."""


RENUMBER_SQL = """
WITH ordered AS (
  SELECT id, row_number() OVER (
    ORDER BY (id = %(first)s) DESC, created_at, id
  ) - 1 AS new_position
  FROM posts_post WHERE thread_id = %(thread)s
)
UPDATE posts_post p SET position = o.new_position
FROM ordered o WHERE p.id = o.id AND p.position <> o.new_position
"""


def _renumber(thread_id: int, first_post_id: int) -> int:
    """Positions 0..n-1, the opening post first; returns the highest."""
    with connection.cursor() as cursor:
        cursor.execute(RENUMBER_SQL, {"first": first_post_id, "thread": thread_id})
    count = Post.objects.filter(thread_id=thread_id).count()
    last = max(count - 1, 0)
    Thread.objects.filter(pk=thread_id).update(last_position=last)
    return last


def _settle_source(thread_id: int) -> None:
    """A thread that gave posts away: last_position and last post follow what
    remains."""
    highest = Post.objects.filter(thread_id=thread_id).aggregate(m=Max("position"))
    Thread.objects.filter(pk=thread_id).update(last_position=highest["m"] or 0)
    _refresh_thread_last_post(thread_id)


def _check_visible(*threads: Thread) -> None:
    for thread in threads:
        if thread.is_deleted:
            raise ModerationRefused(
                f"“{thread.title}” is deleted or awaiting approval; restore or "
                "approve it first."
            )


def _lock_threads(*ids: int) -> dict[int, Thread]:
    rows = Thread.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    found = {thread.pk: thread for thread in rows}
    if len(found) != len(set(ids)):
        raise ModerationRefused("That thread no longer exists.")
    return found


def _visible_count(post_ids) -> int:
    return Post.objects.filter(
        pk__in=post_ids, is_deleted=False, is_approved=True
    ).count()


def _move_counts(*, source: Thread, target: Thread, visible: int) -> None:
    if visible:
        Thread.objects.filter(pk=source.pk).update(
            reply_count=F("reply_count") - visible
        )
        Thread.objects.filter(pk=target.pk).update(
            reply_count=F("reply_count") + visible
        )
    if visible and source.node_id != target.node_id:
        Node.objects.filter(pk=source.node_id).update(
            post_count=F("post_count") - visible
        )
        Node.objects.filter(pk=target.node_id).update(
            post_count=F("post_count") + visible
        )


def _touched(*threads: Thread) -> None:
    names = {"index"}
    for thread in threads:
        names |= {f"thread:{thread.pk}", f"node:{thread.node_id}"}
    pagecache.invalidate(*sorted(names))


@transaction.atomic
def move_posts(
    *, actor, post_ids: list[int], target: Thread, reason: str = "", undo_of=None
) -> list[int]:
    """Move posts (all from one thread, not its opening post) to the end of another
    thread, renumbered there by date. Returns the ids moved."""
    posts = list(
        Post.objects.select_for_update()
        .filter(pk__in=post_ids)
        .order_by("pk")
        .only("pk", "thread_id", "position")
    )
    if not posts:
        raise ModerationRefused("Select the posts to move.")
    source_ids = {post.thread_id for post in posts}
    if len(source_ids) != 1:
        raise ModerationRefused("Select posts from one thread at a time.")
    source_id = source_ids.pop()
    if source_id == target.pk:
        raise ModerationRefused("The posts are already in that thread.")
    if any(post.position == 0 for post in posts):
        raise ModerationRefused(
            "The first post of a thread cannot be moved; move or merge the thread."
        )
    threads = _lock_threads(source_id, target.pk)
    source, target = threads[source_id], threads[target.pk]
    _check_visible(source, target)
    ids = [post.pk for post in posts]
    visible = _visible_count(ids)
    before = {
        "thread_id": source.pk,
        "thread_title": source.title,
        "post_ids": ids,
    }
    Post.objects.filter(pk__in=ids).update(thread=target)
    _renumber(target.pk, target.first_post_id)
    follow_moved_posts(post_ids=ids, thread_ids=[source.pk, target.pk])
    _move_counts(source=source, target=target, visible=visible)
    _settle_source(source.pk)
    _refresh_thread_last_post(target.pk)
    refresh_node_last_post(source.node_id)
    if target.node_id != source.node_id:
        refresh_node_last_post(target.node_id)
    record(
        actor=actor,
        action=Action.MOVE_POSTS,
        target_type=Target.THREAD,
        target_id=target.pk,
        label=f"{len(ids)} posts from “{source.title}” to “{target.title}”",
        node_id=source.node_id,
        reason=reason,
        before=before,
        after={"thread_id": target.pk, "thread_title": target.title},
        undo_of=undo_of,
    )
    _touched(source, target)
    return ids


@dataclass(frozen=True)
class SplitResult:
    thread: Thread
    post_ids: list[int]


@transaction.atomic
def split_posts(
    *,
    actor,
    post_ids: list[int],
    title: str,
    node: Node,
    reason: str = "",
) -> SplitResult:
    """Posts of one thread become a new thread in `node`: its opening post is the
    earliest visible one, the rest follow by date."""
    if node.kind != Node.Kind.FORUM:
        raise ModerationRefused("Threads can only be created in a forum.")
    title = " ".join((title or "").split())[:200]
    if not title:
        raise ModerationRefused("Please enter a title for the new thread.")
    posts = list(
        Post.objects.select_for_update()
        .filter(pk__in=post_ids)
        .order_by("pk")
        .only(
            "pk",
            "thread_id",
            "position",
            "created_at",
            "author_id",
            "author_name",
            "is_deleted",
            "is_approved",
        )
    )
    if not posts:
        raise ModerationRefused("Select the posts to split off.")
    if len({post.thread_id for post in posts}) != 1:
        raise ModerationRefused("Select posts from one thread at a time.")
    if any(post.position == 0 for post in posts):
        raise ModerationRefused(
            "The first post of a thread cannot be split off; move the thread."
        )
    source = _lock_threads(posts[0].thread_id)[posts[0].thread_id]
    _check_visible(source)
    shown = sorted(
        (p for p in posts if not p.is_deleted and p.is_approved),
        key=lambda p: (p.created_at, p.pk),
    )
    if not shown:
        raise ModerationRefused(
            "A new thread needs at least one visible post to start with."
        )
    first = shown[0]
    ids = [post.pk for post in posts]
    thread = Thread.objects.create(
        node=node,
        title=title,
        starter_id=first.author_id,
        starter_name=first.author_name,
        created_at=first.created_at,
        last_post_at=first.created_at,
        first_post_id=first.pk,
        reply_count=len(shown) - 1,
    )
    Post.objects.filter(pk__in=ids).update(thread=thread)
    _renumber(thread.pk, first.pk)
    follow_moved_posts(post_ids=ids, thread_ids=[source.pk, thread.pk])
    _refresh_thread_last_post(thread.pk)
    Thread.objects.filter(pk=source.pk).update(
        reply_count=F("reply_count") - len(shown)
    )
    Node.objects.filter(pk=source.node_id).update(
        post_count=F("post_count") - len(shown)
    )
    Node.objects.filter(pk=node.pk).update(
        thread_count=F("thread_count") + 1, post_count=F("post_count") + len(shown)
    )
    _settle_source(source.pk)
    refresh_node_last_post(source.node_id)
    if node.pk != source.node_id:
        refresh_node_last_post(node.pk)
    first_post = Post.objects.get(pk=first.pk)
    index_post(first_post, title=title)
    thread.refresh_from_db()
    record(
        actor=actor,
        action=Action.SPLIT_POSTS,
        target_type=Target.THREAD,
        target_id=thread.pk,
        label=f"{len(ids)} posts from “{source.title}” into “{title}”",
        node_id=source.node_id,
        reason=reason,
        before={"thread_id": source.pk, "thread_title": source.title, "post_ids": ids},
        after={"thread_id": thread.pk, "thread_title": title, "node_id": node.pk},
    )
    _touched(source, thread)
    return SplitResult(thread=thread, post_ids=ids)


@transaction.atomic
def merge_threads(
    *, actor, source: Thread, target: Thread, reason: str = "", undo_of=None
) -> Thread:
    """Every post of `source` moves into `target` (renumbered by date after the
    target's opening post); the source thread is removed and its address
    redirects to the target."""
    if source.pk == target.pk:
        raise ModerationRefused("A thread cannot be merged into itself.")
    threads = _lock_threads(source.pk, target.pk)
    source, target = threads[source.pk], threads[target.pk]
    _check_visible(source, target)
    ids = list(Post.objects.filter(thread=source).values_list("pk", flat=True))
    visible = _visible_count(ids)
    before = {
        "source_id": source.pk,
        "source_title": source.title,
        "source_node_id": source.node_id,
        "source_first_post_id": source.first_post_id,
        "is_locked": source.is_locked,
        "is_sticky": source.is_sticky,
        "post_ids": ids,
    }
    Post.objects.filter(pk__in=ids).update(thread=target)
    _renumber(target.pk, target.first_post_id)
    follow_moved_posts(
        post_ids=ids, thread_ids=[source.pk, target.pk], merged_from=source.pk
    )
    _move_counts(source=source, target=target, visible=visible)
    # The source's opening post (now a reply) and every visible post it had are
    # counted in the target; the source leaves its forum with nothing.
    Node.objects.filter(pk=source.node_id).update(
        thread_count=F("thread_count") - 1,
        post_count=F("post_count") - (source.reply_count + 1 - visible),
    )
    _refresh_thread_last_post(target.pk)
    ThreadRedirect.objects.filter(target=source).update(target=target)
    ThreadRedirect.objects.update_or_create(
        old_thread_id=source.pk, defaults={"target": target}
    )
    Thread.objects.filter(pk=source.pk).delete()
    refresh_node_last_post(source.node_id)
    if target.node_id != source.node_id:
        refresh_node_last_post(target.node_id)
    if source.first_post_id:
        index_post(Post.objects.get(pk=source.first_post_id))
    record(
        actor=actor,
        action=Action.MERGE_THREADS,
        target_type=Target.THREAD,
        target_id=target.pk,
        label=f"“{source.title}” into “{target.title}”",
        node_id=target.node_id,
        reason=reason,
        before=before,
        after={"thread_id": target.pk, "thread_title": thread_label(target)},
        undo_of=undo_of,
    )
    _touched(source, target)
    return target


@transaction.atomic
def unsplit(*, actor, split_thread: Thread, into: Thread, undo_of=None) -> None:
    """Undo a split: the posts go back to the thread they came from and the
    thread made for them goes (it must hold nothing else)."""
    merge_threads(actor=actor, source=split_thread, target=into, undo_of=undo_of)


def posts_in_thread(thread_id: int, post_ids) -> list[int]:
    """The ids among `post_ids` that are (still) in this thread."""
    return list(
        Post.objects.filter(Q(thread_id=thread_id) & Q(pk__in=post_ids)).values_list(
            "pk", flat=True
        )
    )
