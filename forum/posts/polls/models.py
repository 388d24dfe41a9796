from django.conf import settings
from django.db import models
from django.utils import timezone


class Poll(models.Model):
    class Results(models.TextChoices):
        ALWAYS = "always", "Always"
        VOTED = "voted", "After voting"
        CLOSED = "closed", "After the poll closes"

    thread = models.OneToOneField(
        "threads.Thread", on_delete=models.CASCADE, related_name="poll"
    )
    question = models.CharField(max_length=200)
    max_choices = models.PositiveSmallIntegerField(default=1)  # 1: a single choice
    closes_at = models.DateTimeField(null=True, blank=True)
    results = models.CharField(max_length=6, choices=Results, default=Results.ALWAYS)
    public_voters = models.BooleanField(default=False)
    allow_change = models.BooleanField(default=False)
    voter_count = models.IntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.question

    def is_closed(self, now=None) -> bool:
        return self.closes_at is not None and self.closes_at <= (now or timezone.now())


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(max_length=150)
    position = models.PositiveSmallIntegerField()
    vote_count = models.IntegerField(default=0, editable=False)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.text


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(
        PollOption, on_delete=models.CASCADE, related_name="votes"
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_votes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["option", "voter"], name="one_vote_per_option"
            )
        ]
        indexes = [models.Index(fields=["poll", "voter"], name="poll_voter_idx")]

    def __str__(self):
        return f"member {self.voter_id} voted {self.option_id}"
