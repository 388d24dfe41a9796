"""Writes to nodes and threads. One transaction per intent; counters move with F()."""

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from forum.core.pagecache import invalidate
from forum.threads import tagging
from forum.threads.models import Node, Thread


def refresh_node_last_post(node_id: int) -> None:
    """Point a forum's "last post" at its most recently active visible thread.

    Needed after a delete, move or restore: an increment cannot undo a maximum.
    """
    latest = (
        Thread.objects.visible()
        .filter(node_id=node_id)
        .order_by("-last_post_at", "-id")
        .first()
    )
    Node.objects.filter(pk=node_id).update(
        last_post_at=latest.last_post_at if latest else None,
        last_post_id=latest.last_post_id if latest else None,
        last_thread=latest,
        last_poster_id=latest.last_poster_id if latest else None,
        last_poster_name=latest.last_poster_name if latest else "",
    )
    invalidate(f"node:{node_id}", "index")


def lock_thread(*, thread: Thread, locked: bool = True) -> None:
    Thread.objects.filter(pk=thread.pk).update(is_locked=locked)
    thread.is_locked = locked
    invalidate(f"thread:{thread.pk}", f"node:{thread.node_id}")


def stick_thread(*, thread: Thread, sticky: bool = True) -> None:
    Thread.objects.filter(pk=thread.pk).update(is_sticky=sticky)
    thread.is_sticky = sticky
    invalidate(f"thread:{thread.pk}", f"node:{thread.node_id}")


@transaction.atomic
def move_thread(*, thread: Thread, to_node: Node) -> None:
    """Move a thread and its counts to another forum."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    old_node_id = thread.node_id
    if old_node_id == to_node.pk:
        return
    if not thread.is_deleted:
        posts = thread.reply_count + 1
        Node.objects.filter(pk=old_node_id).update(
            thread_count=F("thread_count") - 1, post_count=F("post_count") - posts
        )
        Node.objects.filter(pk=to_node.pk).update(
            thread_count=F("thread_count") + 1, post_count=F("post_count") + posts
        )
    Thread.objects.filter(pk=thread.pk).update(node=to_node)
    invalidate(f"thread:{thread.pk}")
    refresh_node_last_post(old_node_id)
    refresh_node_last_post(to_node.pk)


_UNKNOWN = object()


def mark_thread_read(
    *, user, thread: Thread, position: int, last_read=_UNKNOWN
) -> None:
    """Remember the highest position a member has seen; never moves backwards.

    One statement (an upsert), since it runs on every page a member reads; none at
    all when the caller knows the marker (`last_read`, None if never read) is
    already there: rereading a page writes nothing."""
    if not user.is_authenticated:
        return
    if last_read is not _UNKNOWN and last_read is not None and last_read >= position:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO threads_threadread"
            " (user_id, thread_id, last_read_position, read_at)"
            " VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (user_id, thread_id) DO UPDATE"
            " SET last_read_position = EXCLUDED.last_read_position,"
            " read_at = EXCLUDED.read_at"
            " WHERE threads_threadread.last_read_position"
            " < EXCLUDED.last_read_position",
            [user.pk, thread.pk, position, timezone.now()],
        )


def label_thread(*, thread: Thread, by, prefix_id=None, tag_names=None) -> bool:
    """Give a thread this prefix (`prefix_id`, None for none: pass
    `thread.prefix_id` to keep it) and exactly these tags (`tag_names`; None:
    the tags stay). Inside the caller's transaction; the caller has checked
    both (forum.threads.forms.LabelsForm). Whether anything changed."""
    changed = False
    if prefix_id != thread.prefix_id:
        Thread.objects.filter(pk=thread.pk).update(prefix_id=prefix_id)
        thread.prefix_id = prefix_id
        invalidate(f"thread:{thread.pk}", f"node:{thread.node_id}", "index")
        changed = True
    if tag_names is not None:
        before = set(thread.thread_tags.values_list("tag_id", flat=True))
        tags = tagging.set_thread_tags(thread=thread, names=tag_names, by=by)
        changed = changed or before != {t.pk for t in tags}
    return changed
