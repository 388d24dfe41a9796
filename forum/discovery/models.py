"""Sidebar blocks: a forum's latest threads on the pages an administrator picks."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from forum.threads.models import Node


class SidebarWidget(models.Model):
    """A "<forum> Latest Posts" block in the sidebar: a forum's most recently
    active threads, on the pages an administrator picks."""

    class Kind(models.TextChoices):
        LATEST = "latest", "A forum's latest posts"
        TAGS = "tags", "Tag cloud (the most used tags)"

    kind = models.CharField(
        max_length=10,
        choices=Kind,
        default=Kind.LATEST,
        db_default=Kind.LATEST,
        blank=True,  # left out: a latest posts block, as before tag clouds
    )
    title = models.CharField(
        max_length=100,
        blank=True,
        help_text='Blank: "<forum title> Latest Posts", or "Tags".',
    )
    node = models.ForeignKey(
        Node,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": Node.Kind.FORUM},
        help_text="The forum of a latest posts block.",
    )
    show_on_index = models.BooleanField("On the forum index", default=True)
    show_on_threads = models.BooleanField("On thread pages", default=True)
    show_on_forums = models.BooleanField("On forum pages", default=False)
    display_order = models.IntegerField(default=10)
    limit = models.PositiveSmallIntegerField(
        "Threads shown",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["display_order", "id"]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        if self.kind == self.Kind.TAGS:
            return self.title or "Tags"
        return self.title or f"{self.node.title} Latest Posts"

    def clean(self):
        from django.core.exceptions import ValidationError

        self.kind = self.kind or self.Kind.LATEST
        if self.kind == self.Kind.LATEST and not self.node_id:
            raise ValidationError({"node": "A latest posts block shows a forum."})
