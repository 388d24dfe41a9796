"""Writes for alerts. Every app that tells a member something calls `notify`."""

from django.utils import timezone

from forum.notifications.models import Alert


def notify(*, user, text: str, url: str = "") -> Alert:
    """One alert for `user`: what happened, in words, and where (a link)."""
    return Alert.objects.create(user=user, text=text[:500], url=url[:300])


def mark_alerts_read(*, user) -> int:
    """Every unread alert of the member counts as read; how many were."""
    return Alert.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
