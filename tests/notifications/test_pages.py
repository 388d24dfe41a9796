"""The alerts page, its drop-down, and what reading alerts costs."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum.notifications.models import Alert, ThreadWatch
from forum.notifications.selectors import ALERTS_PER_PAGE
from forum.notifications.services import Kind, notify
from forum.posts import services
from tests import factories
from tests.querycount import queries_for


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alerted(forum_node, saleem, windjammer, committed):
    """Saleem with a reply alert in each of 25 threads."""
    threads = [
        factories.make_thread(author=saleem, node=forum_node, title=f"Topic {i}")
        for i in range(ALERTS_PER_PAGE + 5)
    ]
    with committed():
        for thread in threads:
            factories.reply(author=windjammer, thread=thread)
    return threads


def test_the_alerts_page_lists_alerts_newest_first_in_pages(alerted, saleem):
    client = _client(saleem)
    first = client.get("/account/alerts").content.decode()
    assert first.count('class="alert-item alert-item--unread"') == ALERTS_PER_PAGE
    assert "Topic 24" in first and "Topic 0<" not in first
    assert 'href="?page=2"' in first
    second = client.get("/account/alerts?page=2").content.decode()
    assert second.count("alert-item--unread") == 5 and "Topic 0<" in second


def test_alerts_link_to_the_exact_post(alerted, saleem):
    post = alerted[0].posts.get(position=1)
    text = _client(saleem).get("/account/alerts?page=2").content.decode()
    assert f'<a href="/posts/{post.pk}/" class="alert-link">Topic 0</a>' in text
    assert "Windjammer</a> replied to the thread" in text


def test_mark_all_read_and_the_unread_tab(alerted, saleem):
    client = _client(saleem)
    client.get(alerted[0].get_absolute_url())  # reads one
    unread = client.get("/account/alerts?show=unread").content.decode()
    assert unread.count("alert-item--unread") == ALERTS_PER_PAGE
    assert "Mark all read" in unread
    response = client.post("/account/alerts/read", follow=True)
    assert "24 alerts marked read." in response.content.decode()
    saleem.refresh_from_db()
    assert saleem.unread_alert_count == 0
    assert (
        "You have no unread alerts."
        in client.get("/account/alerts?show=unread").content.decode()
    )
    assert client.get("/account/alerts").content.decode().count("alert-item") > 20


def test_one_alert_is_marked_read_from_its_own_button(alerted, saleem):
    client = _client(saleem)
    alert = Alert.objects.filter(user=saleem).first()
    client.post("/account/alerts/read", {"alert": alert.pk, "next": "/account/alerts"})
    alert.refresh_from_db()
    saleem.refresh_from_db()
    assert alert.read_at is not None and saleem.unread_alert_count == 24


def test_an_alert_about_a_post_since_deleted_is_not_listed(alerted, saleem, windjammer):
    post = alerted[-1].posts.get(position=1)
    services.delete_post(actor=windjammer, post=post)
    text = _client(saleem).get("/account/alerts").content.decode()
    assert "Topic 24" not in text


def test_the_drop_down_shows_the_latest_few(alerted, saleem):
    response = _client(saleem).get("/account/alerts/recent")
    text = response.content.decode()
    assert text.count('class="alerts-popup__item alerts-popup__item--unread"') == 8
    assert "Show all alerts" in text and "<html" not in text
    assert response["Cache-Control"] == "private, no-store"


def test_a_moderation_alert_opens_where_it_points(saleem):
    notify(user=saleem, kind=Kind.MODERATION, text="Handled.", url="/members/")
    alert = Alert.objects.get(user=saleem)
    client = _client(saleem)
    assert (
        f'href="/account/alerts/{alert.pk}/"'
        in client.get("/account/alerts").content.decode()
    )
    response = client.get(f"/account/alerts/{alert.pk}/")
    assert response.status_code == 302 and response["Location"] == "/members/"
    alert.refresh_from_db()
    assert alert.read_at is not None
    assert (
        _client(factories.MemberFactory())
        .get(f"/account/alerts/{alert.pk}/")
        .status_code
        == 404
    )


# Session, member, the count, one page of alerts with their threads, posts and
# actors, the policy's e-mail check; the same for 1 or 20 alerts.
ALERTS_PAGE_BUDGET = 5


def test_the_alerts_page_queries_do_not_grow_with_alerts(alerted, saleem):
    client = _client(saleem)
    client.get("/account/alerts")
    many = queries_for(client, "/account/alerts")
    Alert.objects.filter(user=saleem).exclude(
        pk=Alert.objects.filter(user=saleem).first().pk
    ).delete()
    one = queries_for(client, "/account/alerts")
    assert len(many) == len(one) <= ALERTS_PAGE_BUDGET, "\n".join(many)


def test_a_members_reply_costs_the_same_with_many_watchers(
    forum_node, saleem, windjammer, committed
):
    quiet = factories.make_thread(author=saleem, node=forum_node, title="Quiet")
    busy = factories.make_thread(author=saleem, node=forum_node, title="Busy")
    ThreadWatch.objects.bulk_create(
        ThreadWatch(user=factories.MemberFactory(), thread=busy) for _ in range(60)
    )
    warm = factories.make_thread(author=saleem, node=forum_node, title="Warm")
    client = _client(windjammer)
    counts = {}
    for thread in (warm, quiet, busy):
        factories.wait_out_flood(windjammer)
        with committed():  # the alerts come after the request, on commit
            with CaptureQueriesContext(connection) as captured:
                response = client.post(thread.get_reply_url(), {"body": "A reply."})
        assert response.status_code == 302
        counts[thread.title] = len(captured.captured_queries)
    assert counts["Busy"] == counts["Quiet"], counts
    assert Alert.objects.filter(thread=busy).count() == 61  # the watchers, Saleem


def test_a_member_with_unread_alerts_pays_one_statement_to_read_a_thread(
    forum_node, saleem, windjammer, hawk, committed
):
    """Reading a thread page reads its alerts in one statement, and only for a
    member who has some (their count is on the member row)."""
    thread = factories.make_thread(author=windjammer, node=forum_node, replies=2)
    elsewhere = factories.make_thread(author=saleem, node=forum_node)
    with committed():
        factories.reply(author=factories.wait_out_flood(windjammer), thread=elsewhere)
    with_alerts, without = _client(saleem), _client(hawk)
    for client in (with_alerts, without):
        client.get(thread.get_absolute_url())
    more = queries_for(with_alerts, thread.get_absolute_url())
    fewer = queries_for(without, thread.get_absolute_url())
    assert len(more) == len(fewer) + 1
    assert "notifications_alert" in "".join(more)
    assert "notifications_alert" not in "".join(fewer)


# Session, member, the count of watched threads, one page of them with their
# forums, starters, read state and watch, the watched forums; the same for 1 or 20.
WATCHED_PAGE_BUDGET = 5


def test_the_watched_page_queries_do_not_grow_with_threads(forum_node, saleem):
    threads = [factories.make_thread(author=saleem, node=forum_node) for _ in range(20)]
    client = _client(saleem)
    client.get("/account/watched")
    many = queries_for(client, "/account/watched")
    ThreadWatch.objects.filter(user=saleem).exclude(thread=threads[0]).delete()
    one = queries_for(client, "/account/watched")
    assert len(many) == len(one) <= WATCHED_PAGE_BUDGET, "\n".join(many)
