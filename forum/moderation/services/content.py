"""Moderator actions on threads and posts: lock, stick, move, delete, restore,
approve. Each is one transaction that also writes its moderator log entry.

The counter work of deleting and restoring lives in forum/posts/services.py; this
module adds approval (the counters a post joins when approved, and leaves when
unapproved) and the log.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from forum.core import pagecache
from forum.moderation.services.log import (
    Action,
    Target,
    post_label,
    record,
    thread_label,
)
from forum.moderation.services.structure import ModerationRefused
from forum.policy import AWAITING_APPROVAL, is_awaiting_approval
from forum.posts import reactions
from forum.posts import services as post_services
from forum.posts.models import Post
from forum.threads import services as thread_services
from forum.threads.models import Node, Thread

User = get_user_model()


def _thread_for_update(thread) -> Thread:
    return Thread.objects.select_for_update().get(pk=thread.pk)


def _post_for_update(post) -> Post:
    return Post.objects.select_for_update().select_related("thread").get(pk=post.pk)


# --- threads --------------------------------------------------------------------


@transaction.atomic
def set_locked(*, actor, thread, locked: bool, reason: str = "", undo_of=None):
    """Lock or unlock; returns the log entry, or None when nothing changed."""
    thread = _thread_for_update(thread)
    if thread.is_locked == locked:
        return None
    thread_services.lock_thread(thread=thread, locked=locked)
    return record(
        actor=actor,
        action=Action.LOCK if locked else Action.UNLOCK,
        target_type=Target.THREAD,
        target_id=thread.pk,
        label=thread_label(thread),
        node_id=thread.node_id,
        reason=reason,
        before={"is_locked": not locked},
        after={"is_locked": locked},
        undo_of=undo_of,
    )


@transaction.atomic
def set_sticky(*, actor, thread, sticky: bool, reason: str = "", undo_of=None):
    thread = _thread_for_update(thread)
    if thread.is_sticky == sticky:
        return None
    thread_services.stick_thread(thread=thread, sticky=sticky)
    return record(
        actor=actor,
        action=Action.STICK if sticky else Action.UNSTICK,
        target_type=Target.THREAD,
        target_id=thread.pk,
        label=thread_label(thread),
        node_id=thread.node_id,
        reason=reason,
        before={"is_sticky": not sticky},
        after={"is_sticky": sticky},
        undo_of=undo_of,
    )


@transaction.atomic
def move_thread(*, actor, thread, node: Node, reason: str = "", undo_of=None):
    if node.kind != Node.Kind.FORUM:
        raise ModerationRefused("Threads can only be moved to a forum.")
    thread = _thread_for_update(thread)
    if thread.node_id == node.pk:
        return None
    old_node_id = thread.node_id
    thread_services.move_thread(thread=thread, to_node=node)
    return record(
        actor=actor,
        action=Action.MOVE_THREAD,
        target_type=Target.THREAD,
        target_id=thread.pk,
        label=thread_label(thread),
        node_id=old_node_id,
        reason=reason,
        before={"node_id": old_node_id},
        after={"node_id": node.pk, "node_title": node.title},
        undo_of=undo_of,
    )


@transaction.atomic
def delete_thread(*, actor, thread, reason: str = "", undo_of=None):
    reactions.lock_out_reactions(thread.pk)  # before any row lock
    thread = _thread_for_update(thread)
    if thread.is_deleted:
        return None
    post_services.delete_thread(actor=actor, thread=thread, reason=reason)
    pagecache.invalidate(f"thread:{thread.pk}")
    return record(
        actor=actor,
        action=Action.DELETE_THREAD,
        target_type=Target.THREAD,
        target_id=thread.pk,
        label=thread_label(thread),
        node_id=thread.node_id,
        reason=reason,
        before={"is_deleted": False},
        after={"is_deleted": True},
        undo_of=undo_of,
    )


@transaction.atomic
def restore_thread(*, actor, thread, reason: str = "", undo_of=None):
    """Restore a deleted thread; a thread awaiting approval is approved instead."""
    reactions.lock_out_reactions(thread.pk)  # before any row lock
    thread = _thread_for_update(thread)
    if not thread.is_deleted:
        return None
    if is_awaiting_approval(thread):
        first = Post.objects.get(pk=thread.first_post_id)
        return approve_post(actor=actor, post=first, reason=reason, undo_of=undo_of)
    post_services.restore_thread(actor=actor, thread=thread)
    pagecache.invalidate(f"thread:{thread.pk}")
    return record(
        actor=actor,
        action=Action.RESTORE_THREAD,
        target_type=Target.THREAD,
        target_id=thread.pk,
        label=thread_label(thread),
        node_id=thread.node_id,
        reason=reason,
        before={"is_deleted": True, "delete_reason": thread.delete_reason},
        after={"is_deleted": False},
        undo_of=undo_of,
    )


# --- posts ----------------------------------------------------------------------


@transaction.atomic
def delete_post(*, actor, post, reason: str = "", undo_of=None):
    """Soft-delete a post; the opening post deletes its thread."""
    reactions.lock_out_reactions(post.thread_id)  # before any row lock
    post = _post_for_update(post)
    if post.position == 0:
        return delete_thread(
            actor=actor, thread=post.thread, reason=reason, undo_of=undo_of
        )
    if post.is_deleted:
        return None
    post_services.delete_post(actor=actor, post=post, reason=reason)
    pagecache.invalidate(f"thread:{post.thread_id}")
    return record(
        actor=actor,
        action=Action.DELETE_POST,
        target_type=Target.POST,
        target_id=post.pk,
        label=post_label(post),
        node_id=post.thread.node_id,
        reason=reason,
        before={"is_deleted": False},
        after={"is_deleted": True},
        undo_of=undo_of,
    )


@transaction.atomic
def restore_post(*, actor, post, reason: str = "", undo_of=None):
    reactions.lock_out_reactions(post.thread_id)  # before any row lock
    post = _post_for_update(post)
    if post.position == 0:
        return restore_thread(
            actor=actor, thread=post.thread, reason=reason, undo_of=undo_of
        )
    if not post.is_deleted:
        return None
    post_services.restore_post(actor=actor, post=post)
    pagecache.invalidate(f"thread:{post.thread_id}")
    return record(
        actor=actor,
        action=Action.RESTORE_POST,
        target_type=Target.POST,
        target_id=post.pk,
        label=post_label(post),
        node_id=post.thread.node_id,
        reason=reason,
        before={"is_deleted": True, "delete_reason": post.delete_reason},
        after={"is_deleted": False},
        undo_of=undo_of,
    )


def _shift_visibility(post: Post, thread: Thread, sign: int) -> None:
    """A reply joins (+1) or leaves (-1) the counters it is part of when visible."""
    Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") + sign)
    if thread.is_deleted:
        return
    Node.objects.filter(pk=thread.node_id).update(post_count=F("post_count") + sign)
    # Locks the post before any member row (see forum/posts/reactions.py).
    reactions.on_posts_visibility_changed([post.pk], visible=sign > 0)
    if post.author_id:
        User.objects.filter(pk=post.author_id).update(
            message_count=F("message_count") + sign
        )
        pagecache.invalidate(f"member:{post.author_id}")  # their profile


@transaction.atomic
def approve_post(*, actor, post, reason: str = "", undo_of=None):
    """Approve a post waiting in the queue: it joins its thread's, forum's and
    author's counts. Approving the opening post of a thread awaiting approval
    brings the whole thread into its forum."""
    reactions.lock_out_reactions(post.thread_id)  # before any row lock
    post = _post_for_update(post)
    if post.is_approved:
        return None
    thread = _thread_for_update(post.thread)
    if post.position == 0 and is_awaiting_approval(thread):
        # restore_thread approves the opening post of a held thread.
        post_services.restore_thread(actor=actor, thread=thread)
        thread.refresh_from_db()
        pagecache.invalidate(f"thread:{thread.pk}")
        return record(
            actor=actor,
            action=Action.APPROVE_POST,
            target_type=Target.POST,
            target_id=post.pk,
            label=post_label(post),
            node_id=thread.node_id,
            reason=reason,
            before={"is_approved": False, "thread_held": True},
            after={"is_approved": True},
            undo_of=undo_of,
        )
    if post.position == 0:
        raise ModerationRefused("This opening post cannot be approved on its own.")
    Post.objects.filter(pk=post.pk).update(is_approved=True)
    if not post.is_deleted:
        _shift_visibility(post, thread, +1)
        post_services._refresh_thread_last_post(thread.pk)
        thread_services.refresh_node_last_post(thread.node_id)
        post.is_approved, post.thread = True, thread
        post_services.announce(post=post, by=actor, kind="approved")
    pagecache.invalidate(f"thread:{thread.pk}")
    return record(
        actor=actor,
        action=Action.APPROVE_POST,
        target_type=Target.POST,
        target_id=post.pk,
        label=post_label(post),
        node_id=thread.node_id,
        reason=reason,
        before={"is_approved": False},
        after={"is_approved": True},
        undo_of=undo_of,
    )


@transaction.atomic
def unapprove_post(*, actor, post, reason: str = "", undo_of=None):
    """Send a reply back to the approval queue: it leaves every count."""
    reactions.lock_out_reactions(post.thread_id)  # before any row lock
    post = _post_for_update(post)
    if not post.is_approved:
        return None
    thread = _thread_for_update(post.thread)
    if post.position == 0:
        if undo_of is not None and not thread.is_deleted:
            return _hold_thread(actor=actor, thread=thread, post=post, undo_of=undo_of)
        raise ModerationRefused(
            "The opening post cannot be unapproved; delete the thread instead."
        )
    Post.objects.filter(pk=post.pk).update(is_approved=False)
    if not post.is_deleted:
        _shift_visibility(post, thread, -1)
        post_services._refresh_thread_last_post(thread.pk)
        thread_services.refresh_node_last_post(thread.node_id)
        post.is_approved, post.thread = False, thread
        post_services.announce(post=post, by=actor, kind="hidden")
    pagecache.invalidate(f"thread:{thread.pk}")
    return record(
        actor=actor,
        action=Action.UNAPPROVE_POST,
        target_type=Target.POST,
        target_id=post.pk,
        label=post_label(post),
        node_id=thread.node_id,
        reason=reason,
        before={"is_approved": True},
        after={"is_approved": False},
        undo_of=undo_of,
    )


def _hold_thread(*, actor, thread, post, undo_of):
    """Undo of approving a held thread: it goes back to the queue (only while it
    has no other posts, as when it was held)."""
    if Post.objects.filter(thread=thread).exclude(pk=post.pk).exists():
        raise ModerationRefused(
            "The thread has replies now; delete it instead of sending it back."
        )
    post_services.delete_thread(actor=actor, thread=thread, reason=AWAITING_APPROVAL)
    Thread.objects.filter(pk=thread.pk).update(
        deleted_by=None, last_poster=None, last_post_id=None, last_post_position=0
    )
    Post.objects.filter(pk=post.pk).update(is_approved=False)
    pagecache.invalidate(f"thread:{thread.pk}")
    return record(
        actor=actor,
        action=Action.UNAPPROVE_POST,
        target_type=Target.POST,
        target_id=post.pk,
        label=post_label(post),
        node_id=thread.node_id,
        before={"is_approved": True},
        after={"is_approved": False, "thread_held": True},
        undo_of=undo_of,
    )


@transaction.atomic
def reject_post(*, actor, post, reason: str = "", undo_of=None):
    """Turn down a post waiting for approval: it is soft-deleted (restorable from
    the log); a held thread stays out of its forum, now as deleted."""
    post = _post_for_update(post)
    if post.is_approved or post.is_deleted:
        return None
    thread = _thread_for_update(post.thread)
    now = timezone.now()
    reason = reason or "Rejected"
    Post.objects.filter(pk=post.pk).update(
        is_deleted=True, deleted_at=now, deleted_by=actor, delete_reason=reason
    )
    held = post.position == 0 and is_awaiting_approval(thread)
    if held:
        Thread.objects.filter(pk=thread.pk).update(
            deleted_at=now, deleted_by=actor, delete_reason=reason[:200]
        )
    pagecache.invalidate(f"thread:{thread.pk}")
    return record(
        actor=actor,
        action=Action.REJECT_POST,
        target_type=Target.POST,
        target_id=post.pk,
        label=post_label(post),
        node_id=thread.node_id,
        reason=reason,
        before={"is_deleted": False, "thread_held": held},
        after={"is_deleted": True},
        undo_of=undo_of,
    )


@transaction.atomic
def unreject_post(*, actor, post, undo_of=None):
    """Back to the approval queue."""
    post = _post_for_update(post)
    if post.is_approved or not post.is_deleted:
        return None
    thread = _thread_for_update(post.thread)
    Post.objects.filter(pk=post.pk).update(
        is_deleted=False, deleted_at=None, deleted_by=None, delete_reason=""
    )
    held = post.position == 0 and thread.is_deleted
    if held:
        Thread.objects.filter(pk=thread.pk).update(
            deleted_by=None, delete_reason=AWAITING_APPROVAL
        )
    pagecache.invalidate(f"thread:{thread.pk}")
    return record(
        actor=actor,
        action=Action.UNREJECT_POST,
        target_type=Target.POST,
        target_id=post.pk,
        label=post_label(post),
        node_id=thread.node_id,
        before={"is_deleted": True},
        after={"is_deleted": False},
        undo_of=undo_of,
    )


@transaction.atomic
def edit_post(*, actor, post, body: str, title: str | None = None, reason: str = ""):
    """A moderator's edit: the posts service keeps the history; this logs it."""
    old_body, old_title = post.body, post.thread.title
    post = post_services.edit_post(editor=actor, post=post, body=body, title=title)
    if post.body == old_body and post.thread.title == old_title:
        return post
    record(
        actor=actor,
        action=Action.EDIT_POST,
        target_type=Target.POST,
        target_id=post.pk,
        label=post_label(post),
        node_id=post.thread.node_id,
        reason=reason,
        before={"title": old_title} if title is not None else {},
        after={"title": post.thread.title} if title is not None else {},
    )
    return post
