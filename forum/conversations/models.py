"""Private conversations: a title, its participants and their messages.

Counters are kept exact by the services and rebuilt by `recount`
(forum/conversations/plugs.py): a conversation's `message_count` and
`last_position` count its approved messages; a participant is unread while a
message came after the last one they read; a member's
`unread_conversation_count` counts their unread conversations they have not
left.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

MESSAGES_PER_PAGE = 20


class Conversation(models.Model):
    title = models.CharField(max_length=150)
    starter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    starter_name = models.CharField(max_length=150)
    # The starter lets the other participants invite more members.
    open_invite = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    message_count = models.IntegerField(default=0)
    last_position = models.IntegerField(default=0)
    last_message_at = models.DateTimeField(default=timezone.now)
    last_poster_name = models.CharField(max_length=150, blank=True)
    title_search = SearchVectorField(null=True, editable=False)
    # Recipients of a conversation whose first message waits for approval: they
    # join when a moderator approves it (and never see a rejected one).
    pending_recipients = ArrayField(models.BigIntegerField(), default=list)

    class Meta:
        indexes = [GinIndex(fields=["title_search"], name="conv_title_search_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self, page: int = 1):
        if page > 1:
            return reverse("conversations:page", args=[self.pk, page])
        return reverse("conversations:view", args=[self.pk])

    @property
    def page_count(self) -> int:
        return max(1, -(-self.last_position // MESSAGES_PER_PAGE))


class Participant(models.Model):
    """A member in a conversation, and where they are in it."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    joined_at = models.DateTimeField(default=timezone.now)
    # The inbox is ordered by the conversation's last message *as this member
    # sees it*: a copy kept here so the list is one index range.
    last_message_at = models.DateTimeField(default=timezone.now)
    read_position = models.IntegerField(default=0)
    is_unread = models.BooleanField(default=False)
    starred = models.BooleanField(default=False)
    # Left: out of the inbox until a new message brings them back (unless they
    # also chose to ignore what comes next). They still read what was said up to
    # `left_position`.
    left_at = models.DateTimeField(null=True, blank=True)
    left_position = models.IntegerField(null=True, blank=True)
    ignore_future = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"], name="conv_participant_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["user", "-last_message_at"],
                condition=Q(left_at__isnull=True),
                name="conv_inbox_idx",
            ),
            models.Index(fields=["invited_by", "joined_at"], name="conv_invited_idx"),
        ]

    def __str__(self):
        return f"member {self.user_id} in conversation {self.conversation_id}"

    @property
    def has_left(self) -> bool:
        return self.left_at is not None


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    # 1, 2, 3... among approved messages; None while it waits for approval.
    position = models.IntegerField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_name = models.CharField(max_length=150)
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    is_approved = models.BooleanField(default=True)
    search = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "position"], name="conv_message_position"
            )
        ]
        indexes = [
            GinIndex(fields=["search"], name="conv_message_search_idx"),
            models.Index(fields=["author", "created_at"], name="conv_message_author"),
        ]

    def __str__(self):
        return f"message {self.position} of conversation {self.conversation_id}"

    def get_absolute_url(self):
        return reverse("conversations:message", args=[self.pk])

    @property
    def page(self) -> int:
        if self.position is None:
            return 1
        return (self.position - 1) // MESSAGES_PER_PAGE + 1


class MessageReport(models.Model):
    """A participant reported one message: moderators see that message and the
    few around it (copied when reported), nothing else of the conversation."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        REJECTED = "rejected", "Rejected"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(max_length=1000)
    # [{"author": name, "position": n, "html": body_html, "reported": bool}]
    context = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "reporter"], name="conv_report_once"
            )
        ]

    def __str__(self):
        return f"report of message {self.message_id}"
