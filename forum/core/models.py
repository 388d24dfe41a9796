"""The outbox: every e-mail the site sends is a row here first (forum/core/mail.py)."""

from django.db import models


class OutgoingMail(models.Model):
    """One queued e-mail and how its delivery is going. The worker sends it; a
    failed attempt is retried later, each wait twice the one before, until
    FORUM_MAIL_MAX_ATTEMPTS have failed. The body is dropped once the mail is
    sent: it may hold a sign-in or reset link, which the database should not
    keep any longer than it must."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        RETRYING = "retrying", "Failed, will be retried"
        SENT = "sent", "Sent"
        FAILED = "failed", "Given up"

    kind = models.CharField(max_length=120, blank=True)
    from_email = models.CharField(max_length=320)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    bcc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    subject = models.TextField()
    body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "outgoing e-mail"
        verbose_name_plural = "outgoing e-mails"
        ordering = ["-created_at"]
        indexes = [
            # The admin's count of undelivered mail reads only these rows.
            models.Index(
                fields=["status"],
                name="core_mail_undelivered",
                condition=models.Q(status__in=["retrying", "failed"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"
