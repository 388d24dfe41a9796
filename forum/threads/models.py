"""Nodes (categories and forums), threads, and what each member has read."""

import math

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from forum import policy
from forum.core.paths import path_for


def make_slug(text: str) -> str:
    return slugify(text, allow_unicode=True)[:80].strip("-")


def slug_kwargs(slug: str, pk: int) -> dict:
    """URL kwargs for "<slug>.<id>"; a title with no sluggable letters gives "<id>"."""
    return {"slug": slug, "pk": pk} if slug else {"pk": pk}


class NodeQuerySet(models.QuerySet):
    def categories(self):
        return self.filter(kind=Node.Kind.CATEGORY)

    def forums(self):
        return self.filter(kind=Node.Kind.FORUM)


class Node(models.Model):
    class Kind(models.TextChoices):
        CATEGORY = "category", "Category"
        FORUM = "forum", "Forum"

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.FORUM)
    title = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, allow_unicode=True, blank=True)
    description = models.TextField(blank=True)
    display_order = models.IntegerField(default=10)
    thread_count = models.IntegerField(default=0, editable=False)
    post_count = models.IntegerField(default=0, editable=False)
    last_post_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_post_id = models.BigIntegerField(null=True, blank=True, editable=False)
    last_thread = models.ForeignKey(
        "threads.Thread",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_poster_name = models.CharField(max_length=50, blank=True, editable=False)

    objects = NodeQuerySet.as_manager()

    class Meta:
        ordering = ["display_order", "id"]
        indexes = [models.Index(fields=["parent", "display_order"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = make_slug(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.kind == self.Kind.CATEGORY:
            return reverse("threads:index") + f"#{self.slug or 'category'}.{self.pk}"
        return path_for("threads:forum", **slug_kwargs(self.slug, self.pk))

    def get_post_thread_url(self):
        return self.get_absolute_url() + "post-thread"

    @property
    def is_category(self) -> bool:
        return self.kind == self.Kind.CATEGORY


def thread_visibility(user, prefix: str = "") -> Q:
    """The threads this viewer may see, as a filter: forum.policy.can_view_thread
    for a whole queryset (the oracle test holds them to each other). `prefix`
    reaches the thread through a relation ("thread__" from a post)."""
    node = f"{prefix}node_id"
    in_sight = Q(**{f"{node}__in": policy.visible_node_ids(user)})
    moderated = policy.moderated_node_ids(user)
    if moderated is None:  # moderators of every forum see deleted threads too
        return in_sight
    shown = Q(**{f"{prefix}is_deleted": False})
    if moderated:
        shown |= Q(**{f"{node}__in": moderated})
    if user.is_authenticated:  # their own new thread, held for approval
        shown |= Q(
            **{
                f"{prefix}is_deleted": True,
                f"{prefix}deleted_by__isnull": True,
                f"{prefix}delete_reason": policy.AWAITING_APPROVAL,
                f"{prefix}starter_id": user.pk,
            }
        )
    return in_sight & shown


class ThreadQuerySet(models.QuerySet):
    def visible(self):
        """Threads everyone may see (in forums they may see): not deleted."""
        return self.filter(is_deleted=False)

    def visible_to(self, user):
        """The threads this viewer may see (forum.policy.can_view_thread)."""
        return self.filter(thread_visibility(user))

    def in_node(self, node):
        return self.filter(node=node)

    def listing_order(self):
        return self.order_by("-is_sticky", "-last_post_at", "-id")


class Thread(models.Model):
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="threads")
    title = models.CharField(max_length=200)
    slug = models.CharField(max_length=100, blank=True)
    starter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="threads_started",
    )
    starter_name = models.CharField(max_length=50)
    created_at = models.DateTimeField(db_index=True)
    # Counters are maintained by the services with F() updates; see `recount`.
    reply_count = models.IntegerField(default=0, editable=False)
    view_count = models.IntegerField(default=0, editable=False)
    # Highest position handed out so far: pages are position ranges.
    last_position = models.IntegerField(default=0, editable=False)
    first_post_id = models.BigIntegerField(null=True, blank=True, editable=False)
    last_post_id = models.BigIntegerField(null=True, blank=True, editable=False)
    # The last visible post's position (not last_position: a deleted last post
    # keeps its position): a member who read up to it has read the thread.
    last_post_position = models.IntegerField(default=0, db_default=0, editable=False)
    last_post_at = models.DateTimeField(editable=False)
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_poster_name = models.CharField(max_length=50, blank=True, editable=False)
    is_locked = models.BooleanField(default=False)
    # A poll sits on the thread (forum.posts.polls): a page of a thread without
    # one asks for none.
    has_poll = models.BooleanField(default=False, db_default=False, editable=False)
    is_sticky = models.BooleanField(default=False)
    is_deleted = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    delete_reason = models.CharField(max_length=200, blank=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["node", "-is_sticky", "-last_post_at", "-id"],
                name="thread_listing_idx",
                condition=Q(is_deleted=False),
            ),
            models.Index(fields=["-last_post_at"], name="thread_last_post_idx"),
            models.Index(fields=["starter", "-created_at"], name="thread_starter_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = make_slug(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self, page: int = 1):
        # A thread page asks for its own URL dozens of times (every Quote link,
        # every form): remember it for this slug.
        memo_key = (self.slug, self.pk)
        if page <= 1 and getattr(self, "_url_memo", (None,))[0] == memo_key:
            return self._url_memo[1]
        kwargs = slug_kwargs(self.slug, self.pk)
        if page > 1:
            return path_for("posts:thread_page", page=page, **kwargs)
        url = path_for("posts:thread", **kwargs)
        self._url_memo = (memo_key, url)
        return url

    @property
    def last_post_url(self) -> str:
        """Where "the last post" of a list row leads (its thread page, anchored)."""
        return path_for("posts:post", pk=self.last_post_id) if self.last_post_id else ""

    def get_reply_url(self):
        return self.get_absolute_url() + "reply"

    @property
    def page_count(self) -> int:
        per_page = settings.FORUM_POSTS_PER_PAGE
        return max(1, math.ceil((self.last_position + 1) / per_page))

    def page_for_position(self, position: int) -> int:
        return position // settings.FORUM_POSTS_PER_PAGE + 1


class ThreadRedirect(models.Model):
    """A thread merged into another: its old address leads to the survivor."""

    old_thread_id = models.BigIntegerField(unique=True)
    target = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Thread {self.old_thread_id} → {self.target_id}"


class ThreadRead(models.Model):
    """How far a member has read a thread (the highest position seen)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE)
    last_read_position = models.IntegerField(default=0)
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="thread_read_once")
        ]

    def __str__(self):
        return f"member {self.user_id} read thread {self.thread_id}"


class NodeRead(models.Model):
    """Everything in a forum older than read_at counts as read ("mark forum read")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    node = models.ForeignKey(Node, on_delete=models.CASCADE)
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "node"], name="node_read_once")
        ]

    def __str__(self):
        return f"member {self.user_id} read forum {self.node_id}"
