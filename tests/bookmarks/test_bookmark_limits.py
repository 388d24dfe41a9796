"""Bookmark writes (add, edit, remove) are limited per member by the one rate
limiter: a script gets a 429 and the message it shows beside the control; a
plain form gets the message on the page, and an edit comes back filled."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from forum.bookmarks import services
from forum.bookmarks.models import Bookmark
from forum.core import ratelimit
from forum.posts.models import Post
from tests import factories

MESSAGE = (
    "Too many bookmark changes: at most 2 a minute. Please wait a moment and try again."
)
SCRIPT = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture(autouse=True)
def budget(settings, monkeypatch):
    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "bookmark": (2, 60)}
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_700_000_040.0)


@pytest.fixture
def posts(forum_node, other_member):
    thread = factories.make_thread(
        author=other_member, node=forum_node, title="JF-17 block III", replies=4
    )
    return list(Post.objects.filter(thread=thread).order_by("position"))


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _spend(client, posts):
    for post in posts[:2]:
        assert client.post(f"/posts/{post.pk}/bookmark", **SCRIPT).status_code == 200


def test_a_script_is_refused_with_a_429_and_the_message(posts, member):
    client = _client(member)
    _spend(client, posts)

    response = client.post(f"/posts/{posts[2].pk}/bookmark", **SCRIPT)

    assert response.status_code == 429
    assert response.json() == {"error": MESSAGE}
    assert 0 < int(response["Retry-After"]) <= 60
    assert not Bookmark.objects.filter(post=posts[2]).exists()
    # Someone else's budget is their own.
    other = _client(factories.MemberFactory(username="Keeper"))
    assert other.post(f"/posts/{posts[2].pk}/bookmark", **SCRIPT).status_code == 200


def test_a_refused_plain_add_says_why_on_the_page(posts, member):
    client = _client(member)
    _spend(client, posts)

    response = client.post(f"/posts/{posts[2].pk}/bookmark", follow=True)

    assert MESSAGE in response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"#post-{posts[2].pk}")
    assert not Bookmark.objects.filter(post=posts[2]).exists()


def test_a_refused_plain_edit_comes_back_filled(posts, member):
    bookmark = services.add_bookmark(user=member, post=posts[0], note="", labels=[])
    client = _client(member)
    _spend(client, posts[1:])

    response = client.post(
        f"/account/bookmarks/{bookmark.pk}/edit",
        {"note": "Radar <details>", "labels": "Aircraft, radar", "next": "/x"},
    )

    assert response.status_code == 429
    soup = BeautifulSoup(response.content, "html.parser")
    assert MESSAGE in soup.select_one(".flash-messages").get_text()
    assert soup.select_one("textarea[name=note]").get_text().strip() == (
        "Radar <details>"
    )
    assert soup.select_one("input[name=labels]")["value"] == "Aircraft, radar"
    crumbs = soup.select('nav[aria-label="Breadcrumb"] a')
    assert [a.get_text() for a in crumbs] == ["Bookmarks"]
    bookmark.refresh_from_db()
    assert (bookmark.note, bookmark.labels) == ("", [])


def test_a_refused_remove_keeps_the_bookmark_and_says_why(posts, member):
    bookmark = services.add_bookmark(user=member, post=posts[0], note="", labels=[])
    client = _client(member)
    _spend(client, posts[1:])

    scripted = client.post(f"/account/bookmarks/{bookmark.pk}/remove", **SCRIPT)
    assert scripted.status_code == 429 and scripted.json()["error"] == MESSAGE
    plain = client.post(
        f"/account/bookmarks/{bookmark.pk}/remove",
        {"next": "/account/bookmarks"},
        follow=True,
    )
    assert MESSAGE in plain.content.decode()
    assert Bookmark.objects.filter(pk=bookmark.pk).exists()


def test_an_edit_with_a_note_too_long_comes_back_filled(posts, member, settings):
    from forum.bookmarks.models import MAX_NOTE

    bookmark = services.add_bookmark(user=member, post=posts[0], note="", labels=[])
    response = _client(member).post(
        f"/account/bookmarks/{bookmark.pk}/edit",
        {"note": "x" * (MAX_NOTE + 1), "labels": "Kept"},
    )
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("input[name=labels]")["value"] == "Kept"
    assert soup.select_one("[role=alert]").get_text()
