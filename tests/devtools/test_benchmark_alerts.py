"""The alerts benchmark: it measures a reply with and without watchers and the
fan-out, and leaves the board as it found it."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from forum.notifications.models import Alert, ThreadWatch
from forum.threads.models import Node, Thread
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_the_alerts_benchmark_measures_and_cleans_up(tmp_path):
    members = [factories.MemberFactory() for _ in range(5)]
    before = {
        "members": type(members[0]).objects.count(),
        "nodes": Node.objects.count(),
        "threads": Thread.objects.count(),
    }
    output = tmp_path / "alerts.json"
    printed = StringIO()

    call_command(
        "benchmark_alerts",
        "--watchers=12",
        "--replies=3",
        f"--output={output}",
        stdout=printed,
        stderr=StringIO(),
    )

    result = json.loads(output.read_text())
    assert result["watchers"] == 12 and result["alerts_written"] == 12
    assert result["reply_p50_ms_no_watchers"] > 0
    assert result["reply_latency_ratio_p50"] > 0
    assert result["fan_out_ms_new_alerts"] > 0
    assert "reply_latency_ratio_p50" in printed.getvalue()
    assert {
        "members": type(members[0]).objects.count(),
        "nodes": Node.objects.count(),
        "threads": Thread.objects.count(),
    } == before
    assert not Alert.objects.exists() and not ThreadWatch.objects.exists()
    assert set(
        type(members[0]).objects.values_list("unread_alert_count", flat=True)
    ) == {0}
