"""The alerts moved here from moderation keep their words, links and times, and
count in their members' unread counts."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from forum.notifications.models import Alert
from tests import factories

BEFORE = [("notifications", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_old_alerts_become_moderation_alerts_counted_unread():
    member = factories.MemberFactory(username="Saleem")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    try:
        at = datetime(2025, 1, 2, 3, 4, tzinfo=UTC)
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO notifications_alert (user_id, text, url, created_at,"
                " read_at) VALUES (%s, %s, %s, %s, %s)",
                [
                    (member.pk, "You have been warned.", "/posts/1/", at, None),
                    (member.pk, "Your report was handled.", "", at, None),
                    (member.pk, "Old news.", "", at, at),
                ],
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)

    alerts = list(Alert.objects.filter(user=member).order_by("id"))
    assert [(a.kind, a.text, a.url) for a in alerts] == [
        ("moderation", "You have been warned.", "/posts/1/"),
        ("moderation", "Your report was handled.", ""),
        ("moderation", "Old news.", ""),
    ]
    assert all(a.updated_at == at and a.created_at == at for a in alerts)
    member.refresh_from_db()
    assert member.unread_alert_count == 2
