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
    # A new thread here must carry one of the forum's prefixes (forum.threads.prefixes).
    prefix_required = models.BooleanField(default=False, db_default=False)

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


def listed_node_ids(user, node_ids=None) -> set[int]:
    """The forums whose threads the lists show this viewer: those they may see,
    among `node_ids` when given."""
    nodes = set(policy.visible_node_ids(user))
    if node_ids is not None:
        nodes &= set(node_ids)
    return nodes


class ThreadQuerySet(models.QuerySet):
    def visible(self):
        """Threads everyone may see (in forums they may see): not deleted."""
        return self.filter(is_deleted=False)

    def visible_to(self, user):
        """The threads this viewer may see (forum.policy.can_view_thread)."""
        return self.filter(thread_visibility(user))

    def listed_for(self, user, *, node_ids=None):
        """Threads whose posts the lists show this viewer (search, What's new,
        profiles): not deleted, in forums the viewer may see (and among
        `node_ids`, when given). Post.objects.listed_for is these threads'
        visible posts."""
        return self.filter(
            is_deleted=False, node_id__in=listed_node_ids(user, node_ids)
        )

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
    prefix = models.ForeignKey(
        "threads.Prefix",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # thread_prefix_idx starts with the forum
    )
    # The thread's tags as [[key, name], ...] by name, kept by
    # forum.threads.tagging with the ThreadTag rows: lists draw them free.
    tag_list = models.JSONField(default=list, db_default=[], blank=True, editable=False)

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
            # The forum page's other orders (forum.threads.listing): within a forum,
            # stickies and the rest are each one range of these, read either way.
            *(
                models.Index(
                    fields=["node", "is_sticky", column, "id"],
                    name=f"thread_by_{column.split('_')[0]}_idx",
                    condition=Q(is_deleted=False),
                )
                for column in ("created_at", "reply_count", "view_count", "title")
            ),
            models.Index(
                fields=["node", "prefix", "is_sticky", "last_post_at", "id"],
                name="thread_prefix_idx",
                condition=Q(is_deleted=False),
            ),
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


class PrefixGroup(models.Model):
    """A heading under which prefixes are offered ("News", "Discussion")."""

    title = models.CharField(max_length=50)
    display_order = models.IntegerField(default=10)

    class Meta:
        ordering = ["display_order", "id"]

    def __str__(self):
        return self.title


class Prefix(models.Model):
    """A label shown before a thread's title ("Analysis"), in one of a fixed set of
    colours (CSS classes: the policy forbids inline styles)."""

    class Colour(models.TextChoices):
        GREY = "prefix--grey", "Grey"
        RED = "prefix--red", "Red"
        ORANGE = "prefix--orange", "Orange"
        GREEN = "prefix--green", "Green"
        TEAL = "prefix--teal", "Teal"
        BLUE = "prefix--blue", "Blue"
        PURPLE = "prefix--purple", "Purple"

    class UsableBy(models.TextChoices):
        MEMBERS = "members", "Every member who may post in the forum"
        MODERATORS = "moderators", "Moderators of the forum and staff"

    label = models.CharField(max_length=50)
    colour = models.CharField(max_length=20, choices=Colour, default=Colour.GREY)
    group = models.ForeignKey(
        PrefixGroup, null=True, blank=True, on_delete=models.SET_NULL
    )
    description = models.CharField(max_length=200, blank=True)
    usage_help = models.TextField(
        blank=True, help_text="Shown to members choosing a prefix: when to use it."
    )
    display_order = models.IntegerField(default=10)
    forums = models.ManyToManyField(
        Node,
        blank=True,
        related_name="prefixes",
        limit_choices_to={"kind": Node.Kind.FORUM},
    )
    usable_by = models.CharField(
        max_length=20, choices=UsableBy, default=UsableBy.MEMBERS
    )

    class Meta:
        ordering = ["display_order", "id"]
        verbose_name_plural = "prefixes"

    def __str__(self):
        return self.label


class Tag(models.Model):
    """A word members file threads under. `key` is the normalized name
    (forum.threads.tagging.normalize: "JF-17" and "jf17" are one tag); a
    synonym points at the tag it stands for, and threads never carry it."""

    name = models.CharField(max_length=50)
    key = models.CharField(max_length=50, unique=True)
    is_official = models.BooleanField(default=False)
    synonym_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="synonyms",
        limit_choices_to={"synonym_of__isnull": True},
    )
    # Threads not deleted carrying it; kept by forum.threads.tagging, see `recount`.
    thread_count = models.IntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(
                fields=["-thread_count"],
                name="tag_cloud_idx",
                condition=Q(synonym_of__isnull=True),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("threads:tag", kwargs={"key": self.key})


class ThreadTag(models.Model):
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="thread_tags"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "tag"], name="thread_tag_once")
        ]
        indexes = [models.Index(fields=["tag", "thread"], name="thread_tag_tag_idx")]

    def __str__(self):
        return f"thread {self.thread_id} tagged {self.tag_id}"


class ForumListPreference(models.Model):
    """How a member likes a forum's threads listed: the query string of their
    chosen sort and filters (forum.threads.listing)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "node"], name="forum_list_preference_once"
            )
        ]

    def __str__(self):
        return f"member {self.user_id} lists forum {self.node_id} by {self.query}"
