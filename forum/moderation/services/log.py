"""The moderator log: one entry per moderator action, written inside the action's
own transaction (so an action that rolls back leaves no entry)."""

from forum.moderation.models import ModeratorLog
from forum.posts.models import Post
from forum.threads.models import Thread

Action = ModeratorLog.Action
Target = ModeratorLog.Target


def thread_label(thread) -> str:
    return thread.title[:250]


def post_label(post) -> str:
    title = getattr(post.thread, "title", "") if post.thread_id else ""
    return f"Post #{post.position + 1} by {post.author_name} in “{title}”"[:250]


def record(
    *,
    actor,
    action: str,
    target_type: str,
    target_id: int,
    label: str = "",
    node_id: int | None = None,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
    undo_of: ModeratorLog | None = None,
    subject_id: int | None = None,
) -> ModeratorLog:
    """One entry; `subject_id` (whose content or account it was, who sees the
    entry in their own log) is looked up from the target when not given."""
    if subject_id is None:
        subject_id = _subject_of(target_type, target_id)
    return ModeratorLog.objects.create(
        subject_id=subject_id,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "system",
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=label[:250],
        node_id=node_id,
        reason=(reason or "")[:250],
        before=before or {},
        after=after or {},
        undo_of=undo_of,
    )


def _subject_of(target_type: str, target_id: int) -> int | None:
    if target_type == Target.POST:
        found = Post.objects.filter(pk=target_id).values_list("author_id", flat=True)
    elif target_type == Target.THREAD:
        found = Thread.objects.filter(pk=target_id).values_list("starter_id", flat=True)
    elif target_type == Target.MEMBER:
        return target_id
    else:
        return None
    return next(iter(found), None)
