"""How conversations plugs into the layers below it (ConversationsConfig.ready()):

- a "conversation" place kind: drafts of a reply (conversation:<id>) and of a
  new conversation (conversation:0) belong to it;
- the account menu shows the unread-conversations count beside the alerts (a column
  of the member row: no query), and the author card and profile offer "Start
  conversation" (forum.policy.viewer_parts' registries);
- a renamed or deleted member's messages take their new name
  (forum.posts.extensions.register_rename_hook);
- `manage.py recount` makes the message counts, unread states and each
  member's unread count exact (forum.posts.extensions counters).
"""

from functools import lru_cache

from django.template.loader import render_to_string
from django.urls import reverse

from forum.conversations.models import Participant
from forum.policy import (
    can_reply_conversation,
    can_start_conversation,
    can_use_conversations,
)
from forum.policy.viewer_parts import register_member_action, register_nav_item
from forum.posts import extensions, places

MESSAGE_COUNTS_SQL = """
UPDATE conversations_conversation c
SET message_count = COALESCE(m.n, 0), last_position = COALESCE(m.top, 0)
FROM conversations_conversation c2
LEFT JOIN (SELECT conversation_id, count(*) AS n, max(position) AS top
           FROM conversations_message WHERE is_approved
           GROUP BY conversation_id) m ON m.conversation_id = c2.id
WHERE c.id = c2.id
  AND (c.message_count, c.last_position)
      IS DISTINCT FROM (COALESCE(m.n, 0), COALESCE(m.top, 0))
"""
MESSAGE_COUNTS_SNAPSHOT = (
    "SELECT id, message_count, last_position FROM conversations_conversation"
    " ORDER BY id"
)
UNREAD_STATE_SQL = """
UPDATE conversations_participant p
SET is_unread = (p.left_at IS NULL AND c.last_position > p.read_position)
FROM conversations_conversation c
WHERE c.id = p.conversation_id
  AND p.is_unread IS DISTINCT FROM
      (p.left_at IS NULL AND c.last_position > p.read_position)
"""
UNREAD_STATE_SNAPSHOT = (
    "SELECT id, is_unread FROM conversations_participant WHERE is_unread ORDER BY id"
)
UNREAD_COUNT_SQL = """
UPDATE accounts_user u SET unread_conversation_count = COALESCE(c.n, 0)
FROM accounts_user u2
LEFT JOIN (SELECT user_id, count(*) AS n FROM conversations_participant
           WHERE is_unread AND left_at IS NULL GROUP BY user_id) c
  ON c.user_id = u2.id
WHERE u.id = u2.id
  AND u.unread_conversation_count IS DISTINCT FROM COALESCE(c.n, 0)
"""
UNREAD_COUNT_SNAPSHOT = (
    "SELECT id, unread_conversation_count FROM accounts_user"
    " WHERE unread_conversation_count <> 0 ORDER BY id"
)


def _place(user, pk: int):
    if pk == 0:
        if not can_start_conversation(user):
            return None
        return places.Place(
            "conversation:0",
            "conversation",
            None,
            None,
            False,
            reverse("conversations:add"),
        )
    participant = (
        Participant.objects.select_related("conversation")
        .filter(conversation_id=pk, user_id=user.pk)
        .first()
    )
    if participant is None or not can_reply_conversation(user, participant):
        return None
    participant.user = user
    return places.Place(
        f"conversation:{pk}",
        "conversation",
        participant.conversation,
        None,
        False,
        participant.conversation.get_absolute_url(),
    )


def _nav_item(request) -> str:
    user = request.user
    if not can_use_conversations(user):
        return ""
    context = {"unread": user.unread_conversation_count}
    return render_to_string("conversations/_nav_item.html", context)


def _start_link(user, member_id: int) -> str:
    # Drawn on every author card of a page: written out, not templated
    # (on the profile too, through the same registry).
    if not can_start_conversation(user):
        return ""
    return (
        f'<a class="button button--small" href="{_add_path()}?to={int(member_id)}">'
        "Start conversation</a>"
    )


@lru_cache(maxsize=1)
def _add_path() -> str:
    return reverse("conversations:add")


def install() -> None:
    from forum.conversations import services

    places.register_place_kind("conversation", _place)
    extensions.register_rename_hook("conversations", services.on_member_renamed)
    register_nav_item("conversations", _nav_item)
    register_member_action("conversations", _start_link)
    for name, sql, snapshot in (
        ("conversation messages", MESSAGE_COUNTS_SQL, MESSAGE_COUNTS_SNAPSHOT),
        ("conversation unread states", UNREAD_STATE_SQL, UNREAD_STATE_SNAPSHOT),
        ("unread conversations", UNREAD_COUNT_SQL, UNREAD_COUNT_SNAPSHOT),
    ):
        extensions.register_counter(extensions.Counter(name, sql, snapshot))
