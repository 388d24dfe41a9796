"""A member's bookmarks: posts kept with a note and labels of their own."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from forum.posts.models import Post
from forum.threads.models import Thread

MAX_NOTE = 500
MAX_LABEL = 30
MAX_LABELS = 10


class Bookmark(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    # The post's thread and author when it was bookmarked: the thread page reads
    # a member's bookmarks, and an author's counts, by thread in one statement
    # (forum/bookmarks/plugs.py). A hint, not a constraint: a merge moves posts
    # and deletes their old thread, and the bookmarks must stay; bookmarking the
    # post again or `manage.py recount` puts it right.
    thread = models.ForeignKey(
        Thread,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    post_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(max_length=MAX_NOTE, blank=True)
    labels = ArrayField(
        models.CharField(max_length=MAX_LABEL), default=list, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="bookmark_post_once")
        ]
        indexes = [
            models.Index(fields=["user", "-id"], name="bookmark_user_newest"),
            models.Index(fields=["user", "thread"], name="bookmark_user_thread"),
            models.Index(
                fields=["post_author", "thread"], name="bookmark_author_thread"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} → post {self.post_id}"
