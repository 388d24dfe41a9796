"""Reads for the alerts page."""

from forum.notifications.models import Alert


def member_alerts(user, limit: int = 50) -> list[Alert]:
    """The member's most recent alerts, newest first."""
    return list(Alert.objects.filter(user=user)[:limit])


def unread_alert_count(user) -> int:
    return Alert.objects.filter(user=user, read_at__isnull=True).count()
