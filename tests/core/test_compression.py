"""gzip only where no secret is in the page (BREACH): guests' pages and feeds are
compressed, members' pages and any page carrying a CSRF token are not."""

import gzip

import pytest

from tests import factories

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def thread(db):
    author = factories.MemberFactory(username="Windjammer")
    node = factories.ForumFactory(title="Pakistan Defence")
    return factories.make_thread(author=author, node=node, title="Air defence")


def test_a_guests_page_is_compressed_and_the_cache_hit_too(client, thread):
    first = client.get(thread.get_absolute_url(), **GZIP)
    again = client.get(thread.get_absolute_url(), **GZIP)

    for response in (first, again):
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert b"Air defence" in gzip.decompress(response.content)
    assert again["X-Page-Cache"] == "hit"
    # The cache keeps the page itself: a client without gzip gets it plain.
    plain = client.get(thread.get_absolute_url())
    assert plain.get("Content-Encoding") is None and b"Air defence" in plain.content


def test_a_guests_search_and_feed_are_compressed(client, thread):
    for path in ("/search/?q=defence", "/forums/-/index.rss"):
        response = client.get(path, **GZIP)
        assert response["Content-Encoding"] == "gzip", path


def test_a_members_page_is_never_compressed(client, thread):
    client.force_login(factories.MemberFactory())

    response = client.get(thread.get_absolute_url(), **GZIP)

    assert response.status_code == 200
    assert response.get("Content-Encoding") is None
    assert b"csrfmiddlewaretoken" in response.content


def test_a_guest_page_with_a_csrf_token_is_never_compressed(client, db):
    response = client.get("/accounts/login/?next=/search/%3Fq%3Dsecret", **GZIP)

    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert response.get("Content-Encoding") is None


def test_a_visitor_with_a_session_cookie_gets_no_compression(client, thread):
    client.cookies["sessionid"] = "x" * 32

    response = client.get(thread.get_absolute_url(), **GZIP)

    assert response.get("Content-Encoding") is None
