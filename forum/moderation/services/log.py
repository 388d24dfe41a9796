"""The moderator log: one entry per moderator action, written inside the action's
own transaction (so an action that rolls back leaves no entry)."""

from forum.moderation.models import ModeratorLog

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
) -> ModeratorLog:
    return ModeratorLog.objects.create(
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
