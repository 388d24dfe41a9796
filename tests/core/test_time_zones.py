"""Times in the reader's own time zone, relative when recent, the moment itself in
UTC for machines; the zone from the account page (first from the browser at
sign-up), else the board's."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from forum.core import timefmt
from forum.posts.models import Post
from tests import factories

NOW = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)  # a Wednesday
KARACHI = ZoneInfo("Asia/Karachi")  # UTC+5
TORONTO = ZoneInfo("America/Toronto")  # UTC-5 in March


def label(value, style="relative", zone=UTC) -> str:
    html = timefmt.element(value, style, zone, NOW)
    return re.search(r">([^<]*)</time>", html)[1]


@pytest.mark.parametrize(
    ("ago", "expected"),
    [
        (timedelta(seconds=20), "A moment ago"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=5), "5 minutes ago"),
        (timedelta(hours=9, minutes=28), "Today at 14:02"),
        (timedelta(days=1, hours=9, minutes=28), "Yesterday at 14:02"),
        (timedelta(days=2, hours=9, minutes=28), "Monday at 14:02"),
        (timedelta(days=9), "Feb 23, 2026"),
    ],
)
def test_relative_dates_read_naturally(ago, expected):
    assert label(NOW - ago) == expected


def test_the_same_moment_reads_in_each_readers_zone():
    moment = NOW - timedelta(hours=2, minutes=10)  # 21:20 UTC

    assert label(moment, zone=UTC) == "Today at 21:20"
    assert label(moment, zone=KARACHI) == "Today at 02:20"  # past midnight there
    assert label(moment, zone=TORONTO) == "Today at 16:20"
    assert label(NOW - timedelta(hours=20), zone=KARACHI) == "Yesterday at 08:30"


def test_machines_read_the_moment_in_utc_people_read_it_in_their_zone():
    html = timefmt.element(datetime(2026, 3, 4, 21, 20, tzinfo=UTC), "date", KARACHI)

    assert 'datetime="2026-03-04T21:20:00+00:00"' in html
    assert ">Mar 5, 2026<" in html  # already the 5th in Karachi
    assert 'title="Mar 5, 2026 at 02:20"' in html


def test_last_seen_says_the_day_and_no_more():
    html = timefmt.element(NOW - timedelta(hours=3), "day", KARACHI, NOW)

    assert ">Today<" in html
    assert 'datetime="2026-03-05"' in html and "T" not in html.split('"')[1]


@pytest.fixture
def reading(db, forum_node, monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    author = factories.MemberFactory(username="Desert Hawk")
    thread = factories.make_thread(author=author, node=forum_node)
    Post.objects.filter(thread=thread).update(
        created_at=NOW - timedelta(hours=2, minutes=10)
    )
    return thread


def test_a_member_chooses_a_zone_on_the_account_page_without_javascript(reading):
    member = factories.MemberFactory(username="Maple")
    client = Client()
    client.force_login(member)
    assert "Today at 21:20" in client.get(reading.get_absolute_url()).content.decode()

    response = client.post(
        "/account/profile",
        {
            "country": "",
            "location": "",
            "website": "",
            "about": "",
            "signature": "",
            "theme": "auto",
            "show_last_seen": "on",
            "time_zone": "Asia/Karachi",
        },
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.time_zone == "Asia/Karachi"
    page = client.get(reading.get_absolute_url()).content.decode()
    assert "Today at 02:20" in page and "Today at 21:20" not in page
    assert 'datetime="2026-03-04T21:20:00+00:00"' in page


def test_an_unknown_zone_is_refused_and_the_form_keeps_the_rest(reading):
    member = factories.MemberFactory(username="Maple")
    client = Client()
    client.force_login(member)

    response = client.post(
        "/account/profile",
        {"theme": "auto", "location": "Halifax", "time_zone": "Mars/Olympus"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert 'value="Halifax"' in page


def test_sign_up_takes_the_browsers_zone_and_ignores_a_bogus_one(db, client):
    from accounts.models import User

    for name, zone in (("Karachiite", "Asia/Karachi"), ("Nowhere", "Mars/Olympus")):
        client.post(
            "/accounts/signup/",
            {
                "username": name,
                "email": f"{name.lower()}@example.com",
                "password1": "a long enough passphrase",
                "password2": "a long enough passphrase",
                "time_zone": zone,
            },
        )
    assert User.objects.get(username="Karachiite").time_zone == "Asia/Karachi"
    assert User.objects.get(username="Nowhere").time_zone == ""  # the board's
