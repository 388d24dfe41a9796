"""Watching threads and forums, the watched threads page, the preferences."""

import pytest
from django.test import Client

from forum.notifications.models import ForumWatch, Preferences, ThreadWatch
from tests import factories


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _watches(user):
    return dict(ThreadWatch.objects.filter(user=user).values_list("thread_id", "email"))


def test_members_watch_what_they_start_and_reply_to_without_email(
    forum_node, saleem, windjammer
):
    thread = factories.make_thread(author=saleem, node=forum_node)
    factories.reply(author=windjammer, thread=thread)
    assert _watches(saleem) == {thread.pk: False}
    assert _watches(windjammer) == {thread.pk: False}


def test_auto_watch_follows_the_preferences(forum_node, saleem, windjammer):
    Preferences.objects.create(user=saleem, watch_started=False)
    Preferences.objects.create(user=windjammer, watch_email=True)
    mine = factories.make_thread(author=saleem, node=forum_node)
    theirs = factories.make_thread(author=windjammer, node=forum_node)
    factories.reply(author=saleem, thread=theirs)
    assert _watches(saleem) == {theirs.pk: False}
    assert _watches(windjammer) == {theirs.pk: True}
    assert mine.pk not in _watches(saleem)


def test_the_watch_link_leads_to_a_form_that_watches_and_stops(
    forum_node, saleem, hawk
):
    thread = factories.make_thread(author=saleem, node=forum_node, title="Dams")
    client = _client(hawk)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f'href="/threads/{thread.pk}/watch">Watch</a>' in page
    assert "/watch" not in Client().get(thread.get_absolute_url()).content.decode()

    form = client.get(f"/threads/{thread.pk}/watch")
    assert "Watch this thread" in form.content.decode()
    done = client.post(f"/threads/{thread.pk}/watch", {"email": "on"}, follow=True)
    assert "Watching (with e-mail) · Unwatch" in done.content.decode()
    assert _watches(hawk) == {thread.pk: True}

    client.post(f"/threads/{thread.pk}/watch", {"action": "unwatch"})
    assert _watches(hawk) == {}


def test_a_thread_one_may_not_see_cannot_be_watched(forum_node, saleem, hawk):
    from tests.moderation.conftest import make_private

    secret = factories.ForumFactory()
    thread = factories.make_thread(author=saleem, node=secret)
    make_private(secret)
    assert _client(hawk).get(f"/threads/{thread.pk}/watch").status_code == 404


def test_forums_are_watched_for_new_threads_or_every_post(forum_node, hawk):
    client = _client(hawk)
    assert "Watch forum" in client.get(forum_node.get_absolute_url()).content.decode()
    client.post(f"/forums/{forum_node.pk}/watch", {"mode": "posts", "email": "on"})
    watch = ForumWatch.objects.get(user=hawk)
    assert (watch.node, watch.mode, watch.email) == (forum_node, "posts", True)
    client.post(f"/forums/{forum_node.pk}/watch", {"action": "unwatch"})
    assert not ForumWatch.objects.filter(user=hawk).exists()


def test_the_watched_page_marks_unread_threads_and_unwatches_several(
    forum_node, saleem, windjammer, hawk
):
    read = factories.make_thread(author=hawk, node=forum_node, title="Read one")
    fresh = factories.make_thread(author=hawk, node=forum_node, title="Fresh one")
    other = factories.make_thread(author=hawk, node=forum_node, title="Other one")
    client = _client(hawk)
    for thread in (read, fresh, other):
        client.get(thread.get_absolute_url())
    factories.reply(author=windjammer, thread=fresh)

    page = client.get("/account/watched").content.decode()
    rows = page.split('class="thread-row watched-row')[1:]
    assert [
        ("Unread: " in row, title)
        for row in rows
        for title in ["Read one", "Fresh one", "Other one"]
        if title in row
    ] == [(True, "Fresh one"), (False, "Other one"), (False, "Read one")]

    client.post("/account/watched", {"thread": [read.pk, other.pk]})
    assert set(_watches(hawk)) == {fresh.pk}


def test_preferences_are_saved_from_the_account_page(saleem):
    client = _client(saleem)
    assert "Alerts and e-mail" in client.get("/account/profile").content.decode()
    client.post(
        "/account/alert-preferences",
        {"watch_replied": "on", "email_mentions": "on", "digest": "weekly"},
    )
    prefs = Preferences.objects.get(user=saleem)
    assert (prefs.watch_started, prefs.watch_replied, prefs.email_mentions) == (
        False,
        True,
        True,
    )
    assert prefs.digest == "weekly"


@pytest.mark.parametrize("url", ["/account/watched", "/account/alert-preferences"])
def test_pages_of_ones_own_need_a_login(db, url):
    response = Client().get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
