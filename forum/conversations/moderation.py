"""What moderators do about conversations, without reading them: approve or
reject a held message, handle a reported message (they see that message and
the few around it, copied when it was reported), withdraw or give back a
member's right to start conversations. Each is logged in the moderator log
through the writer forum.moderation registers (forum.posts.extensions
"log"): conversations and moderation are add-ons that do not import each
other."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from forum.conversations import services
from forum.conversations.models import Conversation, Message, MessageReport
from forum.posts import extensions

CONTEXT_AROUND = 2


class ModerationRefused(Exception):
    pass


def _log(*, actor, action: str, target_id: int, label: str, reason: str = ""):
    record = extensions.moderator_write("log")
    if record is not None:
        record(
            actor=actor,
            action=action,
            target_type="member" if action.endswith("conversations") else "message",
            target_id=target_id,
            label=label,
            reason=reason,
        )


def _label(message) -> str:
    return f"Conversation message by {message.author_name}"[:250]


def held_messages() -> list:
    return list(
        Message.objects.filter(is_approved=False)
        .select_related("conversation")
        .order_by("created_at")[:100]
    )


def open_reports() -> list:
    return list(
        MessageReport.objects.filter(status=MessageReport.Status.OPEN)
        .select_related("message", "reporter")
        .order_by("created_at")[:100]
    )


@transaction.atomic
def approve_message(*, actor, message) -> None:
    """A held message takes its place; a held first message brings in the
    recipients it was written to."""
    conversation = Conversation.objects.select_for_update().get(
        pk=message.conversation_id
    )
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.is_approved:
        return
    now = timezone.now()
    if conversation.pending_recipients:
        members = list(
            get_user_model().objects.filter(pk__in=conversation.pending_recipients)
        )
        services.add_participants(
            conversation, members, invited_by=message.author, now=now
        )
        Conversation.objects.filter(pk=conversation.pk).update(pending_recipients=[])
    services.publish(conversation=conversation, message=message, now=now)
    _log(
        actor=actor,
        action="approve_message",
        target_id=message.pk,
        label=_label(message),
    )


@transaction.atomic
def reject_message(*, actor, message, reason: str = "") -> None:
    """A held message is deleted; nobody but its writer ever saw it."""
    message = Message.objects.select_for_update().filter(pk=message.pk).first()
    if message is None or message.is_approved:
        return
    label = _label(message)
    message.delete()
    _log(
        actor=actor,
        action="reject_message",
        target_id=message.pk or 0,
        label=label,
        reason=reason,
    )


def report_context(message) -> list[dict]:
    """The reported message and CONTEXT_AROUND messages either side of it."""
    around = Message.objects.filter(
        conversation_id=message.conversation_id,
        position__gte=message.position - CONTEXT_AROUND,
        position__lte=message.position + CONTEXT_AROUND,
    ).order_by("position")
    return [
        {
            "author": m.author_name,
            "position": m.position,
            "html": m.body_html,
            "reported": m.pk == message.pk,
        }
        for m in around
    ]


@transaction.atomic
def report_message(*, reporter, message, reason: str) -> MessageReport:
    """Moderators are shown this message and its context only; logged."""
    report, created = MessageReport.objects.get_or_create(
        message=message,
        reporter=reporter,
        defaults={"reason": reason[:1000], "context": report_context(message)},
    )
    if not created:
        raise ModerationRefused("You have already reported this message.")
    _log(
        actor=reporter,
        action="report_message",
        target_id=message.pk,
        label=_label(message),
        reason=reason,
    )
    return report


@transaction.atomic
def handle_report(*, actor, report, outcome: str) -> None:
    report.status = outcome
    report.save(update_fields=["status"])
    action = "resolve_msg_report" if outcome == "resolved" else "reject_msg_report"
    _log(
        actor=actor,
        action=action,
        target_id=report.message_id,
        label=_label(report.message),
    )


@transaction.atomic
def set_may_start(*, actor, member, allowed: bool, reason: str = "") -> None:
    """Withdraw (or give back) a member's right to start conversations."""
    type(member).objects.filter(pk=member.pk).update(may_start_conversations=allowed)
    member.may_start_conversations = allowed
    action = "allow_conversations" if allowed else "revoke_conversations"
    _log(
        actor=actor,
        action=action,
        target_id=member.pk,
        label=member.username,
        reason=reason,
    )
