"""Appeals: a member asks the moderators to look again at one action taken on
their content or account (one appeal per action); a moderator upholds it or
overturns it (undoing the action where it can be undone), and the member is
told the outcome by an alert."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from forum.core import ratelimit
from forum.moderation.models import Appeal, ModeratorLog
from forum.moderation.services.structure import ModerationRefused
from forum.moderation.services.undo import UNDOABLE, undo_entry
from forum.notifications.services import Kind, notify

Action = ModeratorLog.Action

# What a member may appeal: actions against their content or account, not
# those in their favour (an approval, a restore, a lifted ban).
APPEALABLE = {
    Action.LOCK,
    Action.MOVE_THREAD,
    Action.MERGE_THREADS,
    Action.SPLIT_POSTS,
    Action.MOVE_POSTS,
    Action.DELETE_THREAD,
    Action.DELETE_POST,
    Action.EDIT_POST,
    Action.UNAPPROVE_POST,
    Action.REJECT_POST,
    Action.WARN,
    Action.BAN,
    Action.SPAM_CLEAN,
}


class AppealRefused(Exception):
    """str() says why, for the member."""


def may_appeal(member, entry: ModeratorLog) -> bool:
    return (
        entry.subject_id == member.pk
        and entry.action in APPEALABLE
        and entry.undone_at is None
        and entry.undo_of_id is None
    )


@transaction.atomic
def appeal_action(*, member, entry: ModeratorLog, text: str) -> Appeal:
    """The member's one appeal against `entry` (theirs, appealable, not undone).
    Counted by the "appeal" rate limit."""
    text = (text or "").strip()
    if not text:
        raise AppealRefused("Please say in a few words why you appeal.")
    if not may_appeal(member, entry):
        raise AppealRefused("This action cannot be appealed.")
    if Appeal.objects.filter(entry=entry).exists():
        raise AppealRefused("You have already appealed this action.")
    try:
        ratelimit.check("appeal", key=f"u{member.pk}", noun="appeals")
    except ratelimit.RateLimited as refusal:
        raise AppealRefused(str(refusal)) from refusal
    try:
        with transaction.atomic():
            return Appeal.objects.create(entry=entry, member=member, text=text[:1000])
    except IntegrityError as clash:  # a second tab sent it at the same moment
        raise AppealRefused("You have already appealed this action.") from clash


@transaction.atomic
def decide_appeal(*, actor, appeal: Appeal, overturn: bool, note: str = "") -> Appeal:
    """Close an open appeal. Overturning undoes the action when it has an
    inverse (the undo is logged as usual); either way the member gets an alert
    with the outcome and the moderator's note."""
    appeal = (
        Appeal.objects.select_for_update().select_related("entry").get(pk=appeal.pk)
    )
    if appeal.status != Appeal.Status.OPEN:
        raise ModerationRefused("This appeal has already been decided.")
    entry = appeal.entry
    if overturn and entry.action in UNDOABLE and entry.undone_at is None:
        undo_entry(actor=actor, entry=entry)
    appeal.status = Appeal.Status.OVERTURNED if overturn else Appeal.Status.UPHELD
    appeal.handled_by = actor
    appeal.handled_at = timezone.now()
    appeal.note = (note or "").strip()[:500]
    appeal.save(update_fields=["status", "handled_by", "handled_at", "note"])
    outcome = "reversed" if overturn else "upheld"
    text = f"Your appeal was decided: “{entry.get_action_display()}” was {outcome}."
    if appeal.note:
        text += f" {appeal.note}"
    notify(
        user=appeal.member,
        kind=Kind.MODERATION,
        text=text,
        url=reverse("moderation:my_log") + f"#entry-{entry.pk}",
    )
    return appeal
