"""Writes to conversations: start, reply, invite, leave, read, star.

Each public function is one member intent in one transaction. The counters
(a conversation's message count and last position, each participant's unread
state, each member's unread-conversations count) move in the same transaction
as the rows they count; `manage.py recount` rebuilds them (plugs.py).

A message from a new member that carries links waits for a moderator
(moderation.py); the alert and e-mail for a message go out when it is seen by
the others, once per conversation until they read it (delivery.py).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Value
from django.utils import timezone
from django.utils.html import strip_tags

from forum.conversations import delivery
from forum.conversations.models import Conversation, Message, Participant
from forum.core.markup import render_bbcode
from forum.policy import (
    can_contact,
    can_invite,
    can_moderate_conversations,
    can_reply_conversation,
    can_start_conversation,
    contact_refusal,
    conversation_limits,
    start_refusal,
)
from forum.posts import extensions
from forum.posts.approval import count_links

User = get_user_model()


class ConversationRefused(Exception):
    """str() is the message for the member."""


def _clean(text: str) -> str:
    return (text or "").replace("\x00", "")


def _day_ago(now):
    return now - timedelta(days=1)


def check_recipients(*, sender, recipients, already: int = 0, now=None) -> None:
    """Refuse recipients the sender may not bring in (privacy, ignoring), more
    than the role's limit per conversation, or more than its daily limit."""
    now = now or timezone.now()
    limits = conversation_limits(sender)
    if not recipients:
        raise ConversationRefused("Please name at least one member to invite.")
    for recipient in recipients:
        if not can_contact(sender, recipient):
            raise ConversationRefused(contact_refusal(sender, recipient))
    if already + len(recipients) > limits["recipients"]:
        raise ConversationRefused(
            f"A conversation may have at most {limits['recipients']} other "
            "participants."
        )
    invited_today = Participant.objects.filter(
        invited_by=sender, joined_at__gte=_day_ago(now)
    ).count()
    if invited_today + len(recipients) > limits["recipients_per_day"]:
        raise ConversationRefused(
            f"You may invite at most {limits['recipients_per_day']} members a day. "
            "Please try again tomorrow."
        )


def _must_approve(author, body: str) -> bool:
    """A new member's message with links waits for a moderator, until they
    have had FORUM_CONVERSATION_APPROVED_MESSAGES messages approved."""
    if can_moderate_conversations(author) or count_links(body) == 0:
        return False
    new_member = getattr(settings, "FORUM_NEW_MEMBER_POSTS", 5)
    if author.message_count >= new_member:
        return False
    enough = getattr(settings, "FORUM_CONVERSATION_APPROVED_MESSAGES", 3)
    approved = Message.objects.filter(author=author, is_approved=True)
    return approved.values("pk")[:enough].count() < enough


def _index(message: Message) -> None:
    text = strip_tags(message.body_html)
    Message.objects.filter(pk=message.pk).update(
        search=SearchVector(Value(text), config="english")
    )


def _write_message(*, conversation, author, body: str, now, held: bool) -> Message:
    body = extensions.rewrite_body(_clean(body), author=author)
    message = Message.objects.create(
        conversation=conversation,
        author=author,
        author_name=author.username,
        body=body,
        body_html=render_bbcode(body),
        created_at=now,
        is_approved=not held,
    )
    _index(message)
    if not held:
        publish(conversation=conversation, message=message, now=now)
    return message


def publish(*, conversation, message, now) -> None:
    """An approved message takes the next position and reaches the others
    (conversation row locked by the caller)."""
    position = conversation.last_position + 1
    Message.objects.filter(pk=message.pk).update(position=position, is_approved=True)
    message.position, message.is_approved = position, True
    Conversation.objects.filter(pk=conversation.pk).update(
        last_position=position,
        message_count=F("message_count") + 1,
        last_message_at=now,
        last_poster_name=message.author_name,
    )
    conversation.last_position = position
    conversation.message_count += 1
    conversation.last_message_at = now
    conversation.last_poster_name = message.author_name
    delivery.deliver(conversation=conversation, message=message, now=now)


@transaction.atomic
def start_conversation(
    *,
    starter,
    title: str,
    recipients: list,
    body: str,
    open_invite: bool = False,
    now=None,
) -> Conversation:
    """A new conversation with its first message. Refused (ConversationRefused)
    for a member whose right was withdrawn, a recipient who does not accept
    the starter, or over the role's limits (recipients per conversation, new
    conversations and recipients per day)."""
    now = now or timezone.now()
    if not can_start_conversation(starter):
        raise ConversationRefused(start_refusal(starter))
    User.objects.select_for_update().only("pk").get(pk=starter.pk)  # one at a time
    limits = conversation_limits(starter)
    started_today = Conversation.objects.filter(
        starter=starter, created_at__gte=_day_ago(now)
    ).count()
    if started_today >= limits["per_day"]:
        raise ConversationRefused(
            f"You may start at most {limits['per_day']} conversations a day. "
            "Please try again tomorrow."
        )
    recipients = [r for r in dict.fromkeys(recipients) if r.pk != starter.pk]
    check_recipients(sender=starter, recipients=recipients, now=now)
    held = _must_approve(starter, body)
    conversation = Conversation.objects.create(
        title=_clean(title)[:150],
        starter=starter,
        starter_name=starter.username,
        open_invite=open_invite,
        created_at=now,
        last_message_at=now,
        last_poster_name=starter.username,
        pending_recipients=[r.pk for r in recipients] if held else [],
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        title_search=SearchVector(Value(conversation.title), config="english")
    )
    Participant.objects.create(
        conversation=conversation, user=starter, joined_at=now, last_message_at=now
    )
    if not held:
        add_participants(conversation, recipients, invited_by=starter, now=now)
    _write_message(
        conversation=conversation, author=starter, body=body, now=now, held=held
    )
    return conversation


def add_participants(conversation, members, *, invited_by, now) -> None:
    Participant.objects.bulk_create(
        [
            Participant(
                conversation=conversation,
                user=member,
                invited_by=invited_by,
                joined_at=now,
                last_message_at=conversation.last_message_at,
            )
            for member in members
        ],
        ignore_conflicts=True,
    )


def _locked(conversation) -> Conversation:
    return Conversation.objects.select_for_update().get(pk=conversation.pk)


@transaction.atomic
def reply(*, author, participant, body: str, now=None) -> Message:
    """A message at the end of the conversation (held for approval when the
    approval rule says so)."""
    now = now or timezone.now()
    if not can_reply_conversation(author, participant):
        raise ConversationRefused("You can no longer write in this conversation.")
    conversation = _locked(participant.conversation)
    held = _must_approve(author, body)
    return _write_message(
        conversation=conversation, author=author, body=body, now=now, held=held
    )


@transaction.atomic
def invite(*, inviter, participant, recipients: list, now=None) -> int:
    """Bring more members in; they read the whole conversation. How many were
    new to it."""
    now = now or timezone.now()
    conversation = _locked(participant.conversation)
    if not can_invite(inviter, conversation, participant):
        raise ConversationRefused("You may not invite members to this conversation.")
    present = set(
        Participant.objects.filter(conversation=conversation).values_list(
            "user_id", flat=True
        )
    )
    fresh = [r for r in dict.fromkeys(recipients) if r.pk not in present]
    if not fresh:
        raise ConversationRefused("They are already in this conversation.")
    check_recipients(
        sender=inviter, recipients=fresh, already=len(present) - 1, now=now
    )
    add_participants(conversation, fresh, invited_by=inviter, now=now)
    delivery.wake(conversation=conversation, user_ids=[r.pk for r in fresh], by=inviter)
    return len(fresh)


@transaction.atomic
def leave(*, participant, ignore_future: bool = False, now=None) -> None:
    """Out of the inbox. A new message brings the member back, unless they
    chose to ignore what comes next."""
    now = now or timezone.now()
    conversation = _locked(participant.conversation)
    row = Participant.objects.select_for_update().get(pk=participant.pk)
    was_unread = row.is_unread
    Participant.objects.filter(pk=row.pk).update(
        left_at=now,
        left_position=conversation.last_position,
        ignore_future=ignore_future,
        is_unread=False,
    )
    if was_unread:
        delivery.forget_unread(user=participant.user, conversation=conversation)


def mark_read(*, user, participant, position: int) -> None:
    """The member was shown messages up to `position`. No query on a reread."""
    conversation = participant.conversation
    read = max(participant.read_position, position)
    unread = participant.left_at is None and conversation.last_position > read
    if read == participant.read_position and unread == participant.is_unread:
        return
    with transaction.atomic():
        row = Participant.objects.select_for_update().get(pk=participant.pk)
        read = max(row.read_position, position)
        unread = row.left_at is None and conversation.last_position > read
        Participant.objects.filter(pk=row.pk).update(
            read_position=read, is_unread=unread
        )
        participant.read_position, participant.is_unread = read, unread
        if row.is_unread and not unread:
            delivery.forget_unread(user=user, conversation=conversation)


def set_starred(*, participant, starred: bool) -> None:
    Participant.objects.filter(pk=participant.pk).update(starred=starred)


def on_member_renamed(*, member_id: int, name: str) -> None:
    """A renamed or deleted member's messages, the conversations they started
    and those whose last message is theirs name them by their new name."""
    Message.objects.filter(author_id=member_id).update(author_name=name)
    Conversation.objects.filter(starter_id=member_id).update(starter_name=name)
    Conversation.objects.filter(
        Exists(
            Message.objects.filter(
                conversation=OuterRef("pk"),
                position=OuterRef("last_position"),
                author_id=member_id,
            )
        )
    ).update(last_poster_name=name)
