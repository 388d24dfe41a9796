"""Posts, their edit history, and reactions."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q

from forum import policy
from forum.core.paths import path_for
from forum.threads.models import listed_node_ids, thread_visibility


def post_visibility(user, *, thread=None) -> Q:
    """The posts this viewer may see, as a filter: forum.policy.can_view_post for
    a whole queryset (the oracle test holds them to each other). Given the thread
    (already authorized for the viewer: a thread page), only the posts' own part."""
    shown = Q(is_deleted=False) & _approved_or_own(user)  # what members see
    if thread is not None:
        return Q() if policy.can_moderate(user, thread.node) else shown
    moderated = policy.moderated_node_ids(user)  # moderators see everything there
    if moderated is None:
        shown = Q()
    elif moderated:
        shown |= Q(thread__node_id__in=moderated)
    return thread_visibility(user, prefix="thread__") & shown


def _approved_or_own(user) -> Q:
    if user.is_authenticated:
        return Q(is_approved=True) | Q(author_id=user.pk)
    return Q(is_approved=True)


class PostQuerySet(models.QuerySet):
    def visible(self):
        """Posts everyone may see: not deleted, approved (their thread and forum
        are the caller's to check)."""
        return self.filter(is_deleted=False, is_approved=True)

    def listed_for(self, user, *, node_ids=None):
        """Posts the lists show this viewer (search, What's new, profiles): those
        everyone may see, in threads not deleted, in forums the viewer may see
        (and among `node_ids`, when given). Hidden posts a moderator or their
        author may open are not listed."""
        return self.visible().filter(
            thread__is_deleted=False,
            thread__node_id__in=listed_node_ids(user, node_ids),
        )

    def visible_to(self, user, *, thread=None):
        """The posts this viewer may see (forum.policy.can_view_post); within
        one thread the viewer may see, pass it (fewer joins)."""
        return self.filter(post_visibility(user, thread=thread))

    def in_thread(self, thread):
        return self.filter(thread=thread)

    def on_page(self, page: int):
        per_page = settings.FORUM_POSTS_PER_PAGE
        start = (page - 1) * per_page
        return self.filter(position__gte=start, position__lt=start + per_page)


class Post(models.Model):
    thread = models.ForeignKey(
        "threads.Thread", on_delete=models.CASCADE, related_name="posts"
    )
    # 0 for the first post; never reused, so page N is a position range.
    position = models.IntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    # Kept with the post so a deleted account's posts still name someone.
    author_name = models.CharField(max_length=50)
    created_at = models.DateTimeField()
    body = models.TextField()
    body_html = models.TextField(editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    edit_count = models.IntegerField(default=0, editable=False)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
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
    is_approved = models.BooleanField(default=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Reactions, denormalized for the summary line under each post.
    reaction_score = models.IntegerField(default=0, editable=False)
    reaction_counts = models.JSONField(default=dict, blank=True, editable=False)
    reaction_total = models.IntegerField(default=0, editable=False)
    recent_reactors = models.JSONField(default=list, blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    # What the apps above posts keep on a post to show it without a query of
    # their own, by app ({"quotes": {...}} from notifications: who quotes it).
    addon_data = models.JSONField(default=dict, blank=True, editable=False)
    # How many attachments it carries (forum.posts.uploads): a page of posts
    # without any asks for none.
    attachment_count = models.PositiveSmallIntegerField(
        default=0, db_default=0, editable=False
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["thread", "position"], name="post_thread_position_idx"
            ),
            models.Index(fields=["author", "-created_at"], name="post_author_idx"),
            models.Index(fields=["-created_at"], name="post_created_idx"),
            # Search walks the listed posts newest first without reading them
            # (forum.search.selectors): thread and author are in the index, so
            # filters on the thread (forum, prefix, tag) cost an index entry
            # each, and only the posts that pass are read for their words.
            models.Index(
                fields=["-created_at", "-id"],
                include=["thread", "author"],
                condition=Q(is_approved=True, is_deleted=False),
                name="post_listed_idx",
            ),
            GinIndex(fields=["search_vector"], name="post_search_idx"),
        ]

    def __str__(self):
        return f"Post {self.pk} by {self.author_name}"

    def get_absolute_url(self):
        return path_for("posts:post", pk=self.pk)

    def get_thread_url(self):
        """The thread page holding this post, with its anchor."""
        page = self.position // settings.FORUM_POSTS_PER_PAGE + 1
        return self.thread.get_absolute_url(page) + f"#post-{self.pk}"

    @property
    def number(self) -> int:
        return self.position + 1

    @property
    def is_first(self) -> bool:
        return self.position == 0


class PostEdit(models.Model):
    """The text a post had before an edit: nothing a member writes is lost."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="edits")
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField()
    old_body = models.TextField()

    class Meta:
        ordering = ["-edited_at", "-id"]

    def __str__(self):
        return f"Edit of post {self.post_id} at {self.edited_at:%Y-%m-%d %H:%M}"


class ReactionType(models.Model):
    name = models.CharField(max_length=30)
    emoji = models.CharField(max_length=16, blank=True)
    image = models.ImageField(upload_to="reactions/", blank=True)
    score = models.SmallIntegerField(
        default=1, choices=[(1, "+1 positive"), (0, "0 neutral"), (-1, "-1 negative")]
    )
    display_order = models.IntegerField(default=10)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["display_order", "id"]

    def __str__(self):
        return f"{self.emoji} {self.name}".strip()


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    reaction_type = models.ForeignKey(ReactionType, on_delete=models.PROTECT)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user"], name="one_reaction_per_post"
            )
        ]
        indexes = [models.Index(fields=["post", "-created_at"])]

    def __str__(self):
        return f"{self.user} {self.reaction_type} post {self.post_id}"


# Models of the posts app kept in their own modules.
from forum.posts.uploads.models import Attachment  # noqa: E402

__all__ = [
    "Attachment",
    "Draft",
    "Poll",
    "PollOption",
    "PollVote",
    "Post",
    "PostEdit",
    "Reaction",
    "ReactionType",
]
from forum.posts.drafts.models import Draft  # noqa: E402
from forum.posts.polls.models import Poll, PollOption, PollVote  # noqa: E402
