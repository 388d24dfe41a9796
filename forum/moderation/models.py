"""Moderation: who may do what where, what moderators did, and what members reported.

- ForumPermission: a role's rights in one node; a node without a row for a role
  inherits its parent's (forum/moderation/policy.py resolves the tree once).
- Moderator: a member who moderates one node and everything under it, or every
  node (node empty).
- ModeratorLog: every moderator action, with enough before/after state to undo it.
- Report: members report posts; the reporter hears the outcome (an alert,
  forum.notifications).
- MemberWarning, Ban: points that expire; enough active points ban for a while.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from forum.posts.models import Post


class Role(models.TextChoices):
    GUEST = "guest", "Guests"
    UNVERIFIED = "unverified", "Registered, e-mail not confirmed"
    MEMBER = "member", "Members"


class ForumPermission(models.Model):
    node = models.ForeignKey(
        "threads.Node", on_delete=models.CASCADE, related_name="permissions"
    )
    role = models.CharField(max_length=12, choices=Role)
    can_view = models.BooleanField(default=True)
    can_start_threads = models.BooleanField(default=True)
    can_reply = models.BooleanField(default=True)
    can_react = models.BooleanField(default=True)
    can_upload = models.BooleanField(default=True)

    class Meta:
        verbose_name = "forum permission"
        constraints = [
            models.UniqueConstraint(fields=["node", "role"], name="one_row_per_role")
        ]

    def __str__(self):
        return f"{self.get_role_display()} in {self.node}"


class Moderator(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # Empty: a global moderator.
    node = models.ForeignKey(
        "threads.Node",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="moderators",
        help_text="Leave empty for a moderator of every forum.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "node"], name="moderator_once"),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(node__isnull=True),
                name="global_moderator_once",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.node or 'all forums'})"


class ModeratorLog(models.Model):
    class Action(models.TextChoices):
        LOCK = "lock", "Locked thread"
        UNLOCK = "unlock", "Unlocked thread"
        STICK = "stick", "Stuck thread"
        UNSTICK = "unstick", "Unstuck thread"
        MOVE_THREAD = "move_thread", "Moved thread"
        MERGE_THREADS = "merge_threads", "Merged threads"
        SPLIT_POSTS = "split_posts", "Split posts into a new thread"
        MOVE_POSTS = "move_posts", "Moved posts"
        DELETE_THREAD = "delete_thread", "Deleted thread"
        RESTORE_THREAD = "restore_thread", "Restored thread"
        DELETE_POST = "delete_post", "Deleted post"
        RESTORE_POST = "restore_post", "Restored post"
        EDIT_POST = "edit_post", "Edited post"
        LABEL_THREAD = "label_thread", "Changed thread prefix or tags"
        APPROVE_POST = "approve_post", "Approved post"
        UNAPPROVE_POST = "unapprove_post", "Unapproved post"
        REJECT_POST = "reject_post", "Rejected post"
        UNREJECT_POST = "unreject_post", "Returned post to the approval queue"
        RESOLVE_REPORT = "resolve_report", "Resolved report"
        REJECT_REPORT = "reject_report", "Rejected report"
        WARN = "warn", "Warned member"
        EXPIRE_WARNING = "expire_warning", "Withdrew warning"
        BAN = "ban", "Banned member"
        LIFT_BAN = "lift_ban", "Lifted ban"
        SPAM_CLEAN = "spam_clean", "Cleaned up spammer"
        UNDO_SPAM_CLEAN = "undo_spam_clean", "Undid spam clean-up"

    class Target(models.TextChoices):
        THREAD = "thread", "Thread"
        POST = "post", "Post"
        MEMBER = "member", "Member"
        REPORT = "report", "Report"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=20, choices=Action)
    target_type = models.CharField(max_length=10, choices=Target)
    target_id = models.BigIntegerField()
    # What the target was called then ("Thread title", "post #12 by Name").
    target_label = models.CharField(max_length=250, blank=True)
    # The forum the target was in, so a forum's moderators see its entries.
    node_id = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=250, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    undo_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Whose content or account it was: they see the entry in their own log
    # ("Moderation of my posts") and may appeal it.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "moderator log entry"
        verbose_name_plural = "moderator log"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="modlog_recent_idx"),
            models.Index(fields=["node_id", "-created_at"], name="modlog_node_idx"),
            models.Index(fields=["target_type", "target_id"], name="modlog_target_idx"),
            models.Index(fields=["subject", "-created_at"], name="modlog_subject_idx"),
        ]

    def __str__(self):
        return f"{self.actor_name}: {self.get_action_display()} {self.target_label}"


class Report(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        REJECTED = "rejected", "Rejected"

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(status="open"),
                name="one_open_report_per_member",
            )
        ]
        indexes = [
            models.Index(
                fields=["post"], name="report_open_idx", condition=Q(status="open")
            ),
            models.Index(fields=["reporter", "-created_at"], name="report_rate_idx"),
        ]

    def __str__(self):
        return f"Report on post {self.post_id} by {self.reporter}"


class MemberWarning(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    points = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=250)
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Empty: the points never expire.
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "warning"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["member", "-created_at"], name="warning_idx")]

    def __str__(self):
        return f"{self.points} points for {self.member}: {self.reason}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.expires_at is None or self.expires_at > now


class Ban(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", "By a moderator"
        WARNINGS = "warnings", "Warning points"
        SPAM = "spam", "Spam clean-up"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=250)
    source = models.CharField(max_length=10, choices=Source, default=Source.MANUAL)
    created_at = models.DateTimeField(default=timezone.now)
    # Empty: permanent.
    expires_at = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["member"],
                name="ban_unlifted_idx",
                condition=Q(lifted_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"Ban of {self.member}: {self.reason}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.lifted_at is None and (
            self.expires_at is None or self.expires_at > now
        )


class Appeal(models.Model):
    """A member's one appeal against one moderator action on their content."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a moderator"
        UPHELD = "upheld", "The action stands"
        OVERTURNED = "overturned", "The action was reversed"

    entry = models.OneToOneField(
        ModeratorLog, on_delete=models.CASCADE, related_name="appeal"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=Status, default=Status.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="appeal_open_idx",
                condition=Q(status="open"),
            )
        ]

    def __str__(self):
        return f"Appeal by {self.member} on log entry {self.entry_id}"


class PendingPost(Post):
    """Posts waiting for approval, for the admin's approval queue."""

    class Meta:
        proxy = True
        verbose_name = "post awaiting approval"
        verbose_name_plural = "approval queue"
