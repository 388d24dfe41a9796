"""The questions about private conversations (forum.conversations asks them).

Like rules.py, they read only what they are given: the member rows (their
privacy choice, who they ignore and follow, the moderator-revocable right to
start conversations are columns read with the member) and the viewer's own
participant row in a conversation (None: not a participant). A conversation a
member does not take part in does not exist for them: staff included, there is
no blanket read access.
"""

from django.conf import settings

from forum.policy.rules import is_global_moderator, is_staff, may_write

DEFAULT_LIMITS = {
    # recipients per conversation, new conversations a day, recipients a day
    "member": {"recipients": 5, "per_day": 10, "recipients_per_day": 25},
    "moderator": {"recipients": 20, "per_day": 50, "recipients_per_day": 200},
    "staff": {"recipients": 100, "per_day": 500, "recipients_per_day": 2000},
}


def conversation_limits(user) -> dict:
    """The member's role's limits (settings.FORUM_CONVERSATION_LIMITS)."""
    limits = getattr(settings, "FORUM_CONVERSATION_LIMITS", None) or DEFAULT_LIMITS
    if is_staff(user):
        return limits["staff"]
    if is_global_moderator(user):
        return limits["moderator"]
    return limits["member"]


def can_use_conversations(user) -> bool:
    """Read and reply in one's conversations: a member who may write."""
    return may_write(user)


def can_start_conversation(user) -> bool:
    """Start one: a member who may write and whose right a moderator has not
    revoked (staff keep it)."""
    if not may_write(user):
        return False
    return is_staff(user) or bool(getattr(user, "may_start_conversations", True))


def start_refusal(user) -> str:
    if not user.is_authenticated:
        return "Please log in to start a conversation."
    if not may_write(user):
        return "You may not start conversations yet: please confirm your e-mail."
    return "A moderator has withdrawn your right to start conversations."


def can_contact(user, recipient) -> bool:
    """Whether `user` may bring `recipient` into a conversation: never someone
    who ignores them; otherwise as the recipient chose (everyone, the members
    they follow, nobody), staff always."""
    if not user.is_authenticated or recipient.pk == user.pk:
        return False
    if not recipient.is_active or recipient.is_deleted_member:
        return False
    if is_staff(user):
        return True
    if user.pk in (recipient.ignored_members or ()):
        return False
    privacy = getattr(recipient, "conversation_privacy", "everyone")
    if privacy == "nobody":
        return False
    if privacy == "followed":
        return user.pk in (recipient.followed_members or ())
    return True


def contact_refusal(user, recipient) -> str:
    if recipient.pk == user.pk:
        return "You can't start a conversation with yourself."
    if not recipient.is_active or recipient.is_deleted_member:
        return f"{recipient.username} can't take part in conversations."
    return f"{recipient.username} does not accept conversations from you."


def can_view_conversation(user, participant) -> bool:
    """Participants only: a member who left still reads what came before."""
    return bool(
        user.is_authenticated
        and participant is not None
        and participant.user_id == user.pk
    )


def can_reply_conversation(user, participant) -> bool:
    return (
        can_view_conversation(user, participant)
        and participant.left_at is None
        and can_use_conversations(user)
    )


def can_invite(user, conversation, participant) -> bool:
    """Invite more members: the starter, or anyone when the starter allows it."""
    if not can_reply_conversation(user, participant):
        return False
    if not can_start_conversation(user):
        return False
    return conversation.starter_id == user.pk or conversation.open_invite


def can_report_message(user, message, participant) -> bool:
    """A participant reports someone else's message they can see."""
    return (
        can_view_conversation(user, participant)
        and can_use_conversations(user)
        and message.author_id != user.pk
        and message.is_approved
    )


def can_moderate_conversations(user) -> bool:
    """Handle reported and held messages (only those: never a whole
    conversation) and revoke a member's right to start conversations."""
    return is_global_moderator(user)


def can_revoke_conversations(user, member) -> bool:
    if not can_moderate_conversations(user) or member.pk == user.pk:
        return False
    return not is_staff(member)
