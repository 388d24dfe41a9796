"""Alerts: a line for a member about something that concerns them, with a link."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Alert(models.Model):
    """A line for a member: the outcome of their report, a warning, a ban."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="alert_user_idx")]

    def __str__(self):
        return self.text
