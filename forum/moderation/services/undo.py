"""Undo from the moderator log: each undoable action has an inverse that is itself
a logged moderator action pointing back at the entry it undid."""

from django.db import transaction
from django.utils import timezone

from forum.moderation.models import Ban, MemberWarning, ModeratorLog
from forum.moderation.services import community, content, labels, structure
from forum.moderation.services.structure import ModerationRefused
from forum.posts.models import Post
from forum.threads.models import Node, Thread

Action = ModeratorLog.Action

UNDOABLE = {
    Action.LOCK,
    Action.UNLOCK,
    Action.STICK,
    Action.UNSTICK,
    Action.MOVE_THREAD,
    Action.DELETE_THREAD,
    Action.RESTORE_THREAD,
    Action.DELETE_POST,
    Action.RESTORE_POST,
    Action.APPROVE_POST,
    Action.UNAPPROVE_POST,
    Action.REJECT_POST,
    Action.UNREJECT_POST,
    Action.MOVE_POSTS,
    Action.SPLIT_POSTS,
    Action.WARN,
    Action.BAN,
    Action.LIFT_BAN,
    Action.SPAM_CLEAN,
    Action.LABEL_THREAD,
}


def can_be_undone(entry: ModeratorLog) -> bool:
    return entry.action in UNDOABLE and entry.undone_at is None


def _thread(entry) -> Thread:
    thread = Thread.objects.filter(pk=entry.target_id).first()
    if thread is None:
        raise ModerationRefused("The thread no longer exists.")
    return thread


def _post(entry) -> Post:
    post = Post.objects.select_related("thread").filter(pk=entry.target_id).first()
    if post is None:
        raise ModerationRefused("The post no longer exists.")
    return post


def _inverse(entry: ModeratorLog, actor):
    kw = {"actor": actor, "undo_of": entry}
    action = entry.action
    if action in (Action.LOCK, Action.UNLOCK):
        return content.set_locked(
            thread=_thread(entry), locked=action == Action.UNLOCK, **kw
        )
    if action in (Action.STICK, Action.UNSTICK):
        return content.set_sticky(
            thread=_thread(entry), sticky=action == Action.UNSTICK, **kw
        )
    if action == Action.MOVE_THREAD:
        node = Node.objects.filter(pk=entry.before.get("node_id")).first()
        if node is None:
            raise ModerationRefused("The forum it came from no longer exists.")
        return content.move_thread(thread=_thread(entry), node=node, **kw)
    if action == Action.DELETE_THREAD:
        return content.restore_thread(thread=_thread(entry), **kw)
    if action == Action.RESTORE_THREAD:
        return content.delete_thread(
            thread=_thread(entry), reason=entry.before.get("delete_reason", ""), **kw
        )
    if action == Action.DELETE_POST:
        return content.restore_post(post=_post(entry), **kw)
    if action == Action.RESTORE_POST:
        return content.delete_post(
            post=_post(entry), reason=entry.before.get("delete_reason", ""), **kw
        )
    if action == Action.APPROVE_POST:
        return content.unapprove_post(post=_post(entry), **kw)
    if action == Action.UNAPPROVE_POST:
        return content.approve_post(post=_post(entry), **kw)
    if action == Action.REJECT_POST:
        return content.unreject_post(post=_post(entry), **kw)
    if action == Action.UNREJECT_POST:
        return content.reject_post(post=_post(entry), **kw)
    if action == Action.MOVE_POSTS:
        origin = _origin(entry)
        ids = structure.posts_in_thread(entry.target_id, entry.before["post_ids"])
        if not ids:
            raise ModerationRefused("Those posts are no longer in that thread.")
        return structure.move_posts(post_ids=ids, target=origin, **kw)
    if action == Action.SPLIT_POSTS:
        return structure.merge_threads(
            source=_thread(entry), target=_origin(entry), **kw
        )
    if action == Action.WARN:
        warning = MemberWarning.objects.filter(pk=entry.after.get("warning_id"))
        if not warning.exists():
            raise ModerationRefused("The warning no longer exists.")
        return community.expire_warning(warning=warning.get(), **kw)
    if action == Action.BAN:
        ban = Ban.objects.filter(pk=entry.after.get("ban_id")).first()
        if ban is None:
            raise ModerationRefused("The ban no longer exists.")
        return community.lift_ban(ban=ban, **kw)
    if action == Action.LIFT_BAN:
        ban = Ban.objects.select_related("member").get(pk=entry.before["ban_id"])
        days = None
        if ban.expires_at is not None:
            left = (ban.expires_at - timezone.now()).days
            if left < 1:
                raise ModerationRefused("That ban would have ended by now.")
            days = left
        return community.ban_member(
            member=ban.member, reason=ban.reason, days=days, source=ban.source, **kw
        )
    if action == Action.SPAM_CLEAN:
        return community.undo_spam_clean(actor=actor, entry=entry)
    if action == Action.LABEL_THREAD:
        return labels.restore_labels(actor=actor, entry=entry, thread=_thread(entry))
    raise ModerationRefused("This action cannot be undone.")


def _origin(entry) -> Thread:
    origin = Thread.objects.filter(pk=entry.before.get("thread_id")).first()
    if origin is None:
        raise ModerationRefused("The thread the posts came from no longer exists.")
    return origin


@transaction.atomic
def undo_entry(*, actor, entry: ModeratorLog):
    """Reverse a logged action; the entry is marked undone. Refused (with a
    reason) when the action has no inverse or the world has moved on."""
    entry = ModeratorLog.objects.select_for_update().get(pk=entry.pk)
    if entry.action not in UNDOABLE:
        raise ModerationRefused("This action cannot be undone.")
    if entry.undone_at is not None:
        raise ModerationRefused("This action has already been undone.")
    result = _inverse(entry, actor)
    ModeratorLog.objects.filter(pk=entry.pk).update(
        undone_at=timezone.now(), undone_by=actor
    )
    return result
