"""A message reaching the other participants: their inbox order, their unread
state and count, one alert per conversation and an e-mail, all in the
message's transaction (the mails through the outbox, on commit).

A participant who was reading (no unread message) becomes unread, gets one
alert and, if their preferences say so, one e-mail; the messages that follow
before they come back add nothing. A member who ignores the writer is not
alerted or mailed about their messages. A member who left comes back with the
next message, unless they chose to ignore what comes next.
"""

from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse

from forum.conversations.models import Conversation, Participant
from forum.core.mail import queue_mail
from forum.notifications import services as notifications
from forum.notifications.mail import site_url
from forum.notifications.writing import AlertSpec, alert_members

KIND = "conversation"

_DELIVER_SQL = """
WITH touched AS (
  UPDATE conversations_participant p SET
    last_message_at = %(now)s,
    read_position = CASE WHEN p.user_id = %(author)s THEN %(position)s
                         ELSE p.read_position END,
    is_unread = p.user_id <> %(author)s,
    left_at = NULL, left_position = NULL
  WHERE p.conversation_id = %(conversation)s AND NOT p.ignore_future
    AND (p.left_at IS NULL OR p.user_id <> %(author)s)
  RETURNING p.user_id, p.is_unread
),
woke AS (
  SELECT t.user_id FROM touched t
  JOIN conversations_participant old ON old.conversation_id = %(conversation)s
   AND old.user_id = t.user_id
  WHERE t.is_unread AND NOT old.is_unread
)
SELECT user_id, FALSE FROM woke
UNION ALL
-- the writer had unread messages: writing reads them
SELECT user_id, TRUE FROM conversations_participant
WHERE conversation_id = %(conversation)s AND user_id = %(author)s AND is_unread
ORDER BY 1
"""


def unread_url(conversation) -> str:
    return reverse("conversations:unread", args=[conversation.pk])


def deliver(*, conversation, message, now) -> None:
    """The message is in: everyone's inbox moves it up; those who were done
    reading become unread (counted, alerted once, mailed once)."""
    with connection.cursor() as cursor:
        # The snapshot of "old" in the same statement is the rows before the
        # UPDATE: PostgreSQL's CTEs all see the table as it was.
        cursor.execute(
            _DELIVER_SQL,
            {
                "now": now,
                "author": message.author_id,
                "position": message.position,
                "conversation": conversation.pk,
            },
        )
        rows = cursor.fetchall()
    woke = [user_id for user_id, writer in rows if not writer]
    if any(writer for _, writer in rows):
        forget_unread(user=message.author, conversation=conversation)
    _became_unread(conversation, woke, by=message.author, message=message)


def wake(*, conversation, user_ids, by) -> None:
    """Members just invited: unread, counted and alerted like a new message."""
    Participant.objects.filter(
        conversation=conversation, user_id__in=list(user_ids)
    ).update(is_unread=True)
    _became_unread(conversation, list(user_ids), by=by, message=None)


def _became_unread(conversation, user_ids, *, by, message) -> None:
    if not user_ids:
        return
    get_user_model().objects.filter(pk__in=user_ids).update(
        unread_conversation_count=F("unread_conversation_count") + 1
    )
    listeners = list(
        get_user_model()
        .objects.filter(pk__in=user_ids)
        .exclude(ignored_members__contains=[by.pk])
        .values_list("pk", flat=True)
    )
    if not listeners:
        return
    verb = "wrote in" if message is not None else "invited you to"
    spec = AlertSpec(
        kind=KIND,
        actor_id=by.pk,
        actor_name=by.username,
        thread_id=None,
        post_id=None,
        position=None,
        text=f"{by.username} {verb} the conversation “{conversation.title}”"[:500],
        url=unread_url(conversation),
    )
    alert_members(spec, listeners)
    mailed = notifications.wants_email(listeners, field="email_conversations")
    if mailed:
        transaction.on_commit(
            partial(_mail, conversation.pk, sorted(mailed), spec.text), robust=True
        )


def _mail(conversation_id: int, user_ids: list, text: str) -> None:
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return
    link = site_url(unread_url(conversation))
    prefs = site_url(reverse("notifications:preferences"))
    for member in get_user_model().objects.filter(pk__in=user_ids):
        context = {"member": member, "text": text, "link": link, "prefs": prefs}
        queue_mail(
            to=[member.email],
            subject=f"[{settings.SITE_NAME}] {text}"[:200],
            body=render_to_string("conversations/mail/message.txt", context),
            html_body=render_to_string("conversations/mail/message.html", context),
            kind="conversation",
        )


def forget_unread(*, user, conversation) -> None:
    """The member read (or left) a conversation that was unread for them: one
    fewer in their count, and its alert is read."""
    User = get_user_model()
    User.objects.filter(pk=user.pk, unread_conversation_count__gt=0).update(
        unread_conversation_count=F("unread_conversation_count") - 1
    )
    user.unread_conversation_count = max(0, user.unread_conversation_count - 1)
    notifications.read_alerts_about(user=user, kind=KIND, url=unread_url(conversation))
