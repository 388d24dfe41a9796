"""Alerts, what members watch, their alert and e-mail preferences, and who quotes
whom."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Alert(models.Model):
    """A line for a member about something that concerns them, with a link.

    While unread, one alert per member, thread and kind gathers what happens
    there ("3 new replies in ...", "Saleem and 4 others reacted ..."): `count`
    events, by the members in `actors` (the latest is `actor`), pointing at the
    first post the member has not seen (`post`, at `position`). Reading that
    post (or a later one) on the thread page reads the alert. Alerts without a
    thread (a ban, a report's outcome) carry their own words and link."""

    class Kind(models.TextChoices):
        REPLY = "reply", "Replies in a watched thread or forum"
        THREAD = "thread", "New threads in a watched forum"
        QUOTE = "quote", "Quotes of your posts"
        MENTION = "mention", "Mentions of you"
        REACTION = "reaction", "Reactions to your posts"
        MODERATION = "moderation", "Moderation"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.MODERATION)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(max_length=50, blank=True)
    actors = ArrayField(models.BigIntegerField(), default=list, blank=True)
    count = models.IntegerField(default=1)
    # SET_NULL, not CASCADE: an alert removed with its thread would leave the
    # member's unread count wrong until a recount.
    thread = models.ForeignKey(
        "threads.Thread",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.IntegerField(null=True, blank=True)
    text = models.CharField(max_length=500, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Mailed about (forum.notifications.mail): no second mail for this alert,
    # however many replies it gathers before the member reads it.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            # The target of the fan-out's ON CONFLICT: one unread alert per
            # member, thread and kind (alerts without a thread never collide).
            models.UniqueConstraint(
                fields=["user", "thread", "kind"],
                condition=Q(read_at__isnull=True),
                name="alert_unread_once",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-updated_at"], name="alert_user_idx"),
        ]

    def __str__(self):
        return self.text or f"{self.kind} alert for member {self.user_id}"

    @property
    def others(self) -> int:
        """How many members besides `actor` this alert gathers."""
        return max(0, len(self.actors) - 1)


class ThreadWatch(models.Model):
    """A member follows a thread: an alert for each reply, an e-mail if asked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    thread = models.ForeignKey(
        "threads.Thread", on_delete=models.CASCADE, related_name="+"
    )
    email = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="watch_thread_once")
        ]
        # The fan-out reads a thread's watchers: by thread first.
        indexes = [models.Index(fields=["thread", "user"], name="watch_thread_idx")]

    def __str__(self):
        return f"member {self.user_id} watches thread {self.thread_id}"


class ForumWatch(models.Model):
    """A member follows a forum: its new threads, or every new post in it."""

    class Mode(models.TextChoices):
        THREADS = "threads", "New threads"
        POSTS = "posts", "New threads and every reply"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    node = models.ForeignKey("threads.Node", on_delete=models.CASCADE, related_name="+")
    mode = models.CharField(max_length=10, choices=Mode, default=Mode.THREADS)
    email = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "node"], name="watch_forum_once")
        ]
        indexes = [models.Index(fields=["node", "user"], name="watch_forum_idx")]

    def __str__(self):
        return f"member {self.user_id} watches forum {self.node_id}"


class Preferences(models.Model):
    """A member's alert and e-mail choices; a member without a row has the
    defaults (auto-watch on, e-mail off)."""

    class Digest(models.TextChoices):
        OFF = "off", "Send each e-mail as it happens"
        DAILY = "daily", "One daily digest instead"
        WEEKLY = "weekly", "One weekly digest instead"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    watch_started = models.BooleanField("Watch threads I start", default=True)
    watch_replied = models.BooleanField("Watch threads I reply to", default=True)
    watch_email = models.BooleanField(
        "…and e-mail me about their replies", default=False
    )
    email_mentions = models.BooleanField(
        "E-mail me when I am quoted or mentioned", default=False
    )
    digest = models.CharField(
        "E-mail delivery",
        max_length=10,
        choices=Digest,
        default=Digest.OFF,
    )
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self):
        return f"alert preferences of member {self.user_id}"


class Quote(models.Model):
    """A visible post quotes another post (its [QUOTE="..., post: N"]). `state`
    says what became of the quoted post since: edited, or removed."""

    class State(models.TextChoices):
        SAME = "", "As quoted"
        EDITED = "edited", "Edited since"
        REMOVED = "removed", "Removed since"

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")
    quoted = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State, default="", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "quoted"], name="quote_once")
        ]
        indexes = [models.Index(fields=["quoted", "post"], name="quote_quoted_idx")]

    def __str__(self):
        return f"post {self.post_id} quotes post {self.quoted_id}"
