"""One uploaded file (a re-encoded picture with its thumbnails, or a document)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Attachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", "Image"
        FILE = "file", "File"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attachments"
    )
    # None while the post is being written; the place says where (a thread, a
    # forum, a post being edited: forum.posts.places).
    post = models.ForeignKey(
        "posts.Post",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    place = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=5, choices=Kind)
    filename = models.CharField(max_length=150)
    content_type = models.CharField(max_length=80)
    # Bytes stored, thumbnails included: what the member's quota counts.
    size = models.BigIntegerField()
    # The stored bytes' SHA-256 (hex, shortened): part of every address, so an
    # address is cached for a year and never shows other bytes.
    digest = models.CharField(max_length=16)
    file = models.FileField(max_length=200)
    width = models.IntegerField(null=True, blank=True)
    height = models.IntegerField(null=True, blank=True)
    # {"320": [storage name, height], ...}: the smaller copies, for srcset
    thumbnails = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(
                fields=["owner", "place"],
                name="attachment_pending_idx",
                condition=Q(post__isnull=True),
            ),
            models.Index(
                fields=["created_at"],
                name="attachment_orphan_idx",
                condition=Q(post__isnull=True),
            ),
            models.Index(fields=["owner", "created_at"], name="attachment_owner_idx"),
        ]

    def __str__(self):
        return f"{self.filename} ({self.kind}, {self.size} bytes)"

    def get_absolute_url(self):
        return reverse(
            "posts:attachment", kwargs={"pk": self.pk, "digest": self.digest}
        )

    def thumbnail_url(self, width: int) -> str:
        return reverse(
            "posts:attachment_thumb",
            kwargs={"pk": self.pk, "digest": self.digest, "width": width},
        )

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE

    @property
    def srcset(self) -> str:
        """Every size of the picture, for <img srcset>."""
        sizes = [
            f"{self.thumbnail_url(int(w))} {int(w)}w"
            for w in sorted(self.thumbnails, key=int)
        ]
        sizes.append(f"{self.get_absolute_url()} {self.width}w")
        return ", ".join(sizes)

    @property
    def preview_url(self) -> str:
        """The smallest copy that still looks sharp in a gallery tile."""
        for width in sorted(self.thumbnails, key=int):
            if int(width) >= 320:
                return self.thumbnail_url(int(width))
        return self.get_absolute_url()

    def storage_names(self) -> list[str]:
        return [self.file.name] + [name for name, _ in self.thumbnails.values()]

    @property
    def bbcode(self) -> str:
        return f"[ATTACH={self.pk}]"
