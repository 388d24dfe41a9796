from django.conf import settings
from django.db import models


class Draft(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    place = models.CharField(max_length=40)  # forum.posts.places key
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    # Bumped by every save: a save names the version it replaces.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "place"], name="one_draft_per_place"
            )
        ]
        indexes = [models.Index(fields=["updated_at"], name="draft_age_idx")]

    def __str__(self):
        return f"Draft of member {self.owner_id} at {self.place} (v{self.version})"
