"""Reads: the inbox, a conversation's page, search within one's own
conversations. A conversation exists only for its participants: every lookup
starts from the viewer's participant row, so a non-participant gets a 404
(staff included)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.http import Http404

from forum.conversations.models import MESSAGES_PER_PAGE, Message, Participant
from forum.core.pagination import PageNav, page_nav
from forum.policy import can_view_conversation

User = get_user_model()
INBOX_PER_PAGE = 20
FILTERS = {"": "All", "unread": "Unread", "starred": "Starred", "left": "Left"}


def get_participant_or_404(user, conversation_id: int) -> Participant:
    """The viewer's row in this conversation, with the conversation; 404 for
    anyone else."""
    participant = (
        Participant.objects.select_related("conversation")
        .filter(conversation_id=conversation_id, user_id=user.pk)
        .first()
    )
    if not can_view_conversation(user, participant):
        raise Http404("No such conversation.")
    participant.user = user
    return participant


@dataclass
class Inbox:
    rows: list
    nav: PageNav
    filter: str
    query: str
    filters: dict

    @property
    def page_query(self) -> str:
        """The list's other parameters, before page=N in page links."""
        params = {k: v for k, v in (("filter", self.filter), ("q", self.query)) if v}
        return urlencode(params) + "&" if params else ""


def _search(qs, query: str):
    words = SearchQuery(query, config="english", search_type="websearch")
    in_messages = Message.objects.filter(search=words, is_approved=True)
    return qs.filter(
        Q(conversation__title_search=words)
        | Q(conversation_id__in=in_messages.values("conversation_id"))
    )


def inbox(user, *, which: str = "", query: str = "", page: int = 1) -> Inbox:
    """The member's conversations by last message, newest first: all those not
    left, the unread or starred ones, or those left; searched by title and by
    the words of their messages (PostgreSQL full text). Three queries, however
    many conversations: the count, the page, the names on it."""
    which = which if which in FILTERS else ""
    qs = Participant.objects.filter(user_id=user.pk)
    if which == "left":
        qs = qs.filter(left_at__isnull=False)
    else:
        qs = qs.filter(left_at__isnull=True)
    if which == "unread":
        qs = qs.filter(is_unread=True)
    elif which == "starred":
        qs = qs.filter(starred=True)
    if query:
        qs = _search(qs, query)
    total = qs.count()
    nav = page_nav(page, -(-total // INBOX_PER_PAGE))
    start = (nav.current - 1) * INBOX_PER_PAGE
    rows = list(
        qs.select_related("conversation").order_by("-last_message_at", "-pk")[
            start : start + INBOX_PER_PAGE
        ]
    )
    names = _names([row.conversation_id for row in rows])
    for row in rows:
        row.names = [
            n for n in names.get(row.conversation_id, []) if n != user.username
        ]
    return Inbox(rows, nav, which, query, FILTERS)


def _names(conversation_ids) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if not conversation_ids:
        return found
    pairs = (
        Participant.objects.filter(conversation_id__in=conversation_ids)
        .order_by("joined_at", "pk")
        .values_list("conversation_id", "user__username")
    )
    for conversation_id, name in pairs:
        found.setdefault(conversation_id, []).append(name)
    return found


@dataclass
class ConversationPage:
    conversation: object
    participant: object
    messages: list
    participants: list
    nav: PageNav
    last_shown: int


def conversation_page(user, participant, page: int) -> ConversationPage:
    """One page of messages: an index range on (conversation, position), with
    the member's own messages waiting for approval after the last one. A member
    who left reads up to where they left. Two queries: the messages (with their
    authors), the participants."""
    conversation = participant.conversation
    last = conversation.last_position
    if participant.left_at is not None and participant.left_position is not None:
        last = min(last, participant.left_position)
    pages = max(1, -(-last // MESSAGES_PER_PAGE))
    nav = page_nav(page, pages)
    first = (nav.current - 1) * MESSAGES_PER_PAGE + 1
    upto = min(last, first + MESSAGES_PER_PAGE - 1)
    shown = Q(position__gte=first, position__lte=upto)
    if nav.current == pages:
        shown |= Q(position__isnull=True, author_id=user.pk)
    messages = list(
        Message.objects.filter(conversation=conversation)
        .filter(shown)
        .select_related("author")
        .order_by(F("position").asc(nulls_last=True), "pk")
    )
    participants = list(
        Participant.objects.filter(conversation=conversation)
        .select_related("user")
        .order_by("joined_at", "pk")
    )
    return ConversationPage(
        conversation, participant, messages, participants, nav, upto
    )


def message_for_participant_or_404(user, message_id: int):
    """A message and the viewer's row in its conversation; 404 unless the viewer
    takes part and may see the message."""
    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        raise Http404("No such message.")
    participant = get_participant_or_404(user, message.conversation_id)
    if not message.is_approved and message.author_id != user.pk:
        raise Http404("No such message.")
    if (
        participant.left_position is not None
        and message.position
        and message.position > participant.left_position
    ):
        raise Http404("No such message.")
    return message, participant


def members_named(names) -> tuple[list, list[str]]:
    """The active members with these names (any case), and the names no member
    has."""
    wanted = {n.strip().lower(): n.strip() for n in names if n.strip()}
    found = list(
        User.objects.annotate(name=Lower("username")).filter(
            name__in=list(wanted), is_active=True
        )
    )
    known = {m.username.lower() for m in found}
    return found, [name for key, name in wanted.items() if key not in known]
