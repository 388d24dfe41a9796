"""The one rate limiter: budgets per action, per member, per window, one message
style, and one switch that turns every limit off (allauth's included)."""

import json
import os
import subprocess
import sys

import pytest

from forum.core import ratelimit


@pytest.fixture
def frozen(monkeypatch, settings):
    settings.FORUM_RATE_LIMITS = {"shout": (2, 60), "post": (3, 3600)}
    clock = {"now": 1_700_000_040.0}
    monkeypatch.setattr(ratelimit, "_now", lambda: clock["now"])
    return clock


def test_the_budget_is_spent_then_refused_with_a_clear_message(db, frozen):
    ratelimit.check("shout", key="u1", noun="shouts")
    ratelimit.check("shout", key="u1", noun="shouts")

    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.check("shout", key="u1", noun="shouts")

    assert str(refused.value) == (
        "Too many shouts: at most 2 a minute. Please wait a moment and try again."
    )
    assert 0 < refused.value.retry_after <= 60


def test_each_member_and_each_action_has_its_own_budget(db, frozen):
    for _ in range(2):
        ratelimit.check("shout", key="u1", noun="shouts")

    ratelimit.check("shout", key="u2", noun="shouts")  # someone else
    ratelimit.check("post", key="u1", noun="posts")  # another action


def test_a_new_window_brings_a_new_budget(db, frozen):
    for _ in range(2):
        ratelimit.check("shout", key="u1", noun="shouts")
    frozen["now"] += 60

    ratelimit.check("shout", key="u1", noun="shouts")


def test_longer_windows_read_naturally(db, frozen):
    for _ in range(3):
        ratelimit.check("post", key="u1", noun="posts")
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.check("post", key="u1", noun="posts")
    assert "at most 3 an hour" in str(refused.value)
    assert ratelimit.message("posts", 5, 600) == (
        "Too many posts: at most 5 per 10 minutes. Please wait a moment and try again."
    )


def test_switched_off_nothing_is_counted_or_refused(db, frozen, settings):
    settings.FORUM_RATE_LIMITS_ENABLED = False
    for _ in range(10):
        ratelimit.check("shout", key="u1", noun="shouts")


def _settings_with(**extra) -> dict:
    """The settings a fresh process reads from this environment."""
    script = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({'forum': s.FORUM_RATE_LIMITS_ENABLED,"
        " 'allauth': getattr(s, 'ACCOUNT_RATE_LIMITS', None),"
        " 'search': s.FORUM_RATE_LIMITS['search']}))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "forum.settings", "DEBUG": "1"}
    out = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, **extra},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_one_switch_turns_off_every_limit_allauths_included():
    off = _settings_with(RATE_LIMITS="0")
    tuned = _settings_with(RATE_LIMIT_SEARCH="5/30")

    assert off["forum"] is False
    assert off["allauth"] is False  # allauth reads ACCOUNT_RATE_LIMITS
    assert tuned["forum"] is True
    # allauth's defaults, but failed logins counted per address only (the
    # forum counts them per login and address: accounts/login_limits.py).
    assert tuned["allauth"] == {"login_failed": "10/m/ip"}
    assert tuned["search"] == [5, 30]
