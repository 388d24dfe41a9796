"""Live "new replies" on a thread's last page: a cheap endpoint the page's
script polls; nothing on the page changes without it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum.posts import services
from tests import factories
from tests.querycount import queries_for


@pytest.fixture
def talk(forum_node, member):
    return factories.make_thread(author=member, node=forum_node, replies=2)


def _url(thread, after) -> str:
    return f"{thread.get_absolute_url()}new-replies?after={after}"


def test_only_the_last_page_carries_the_marker(talk, settings):
    settings.FORUM_POSTS_PER_PAGE = 2
    last = Client().get(talk.get_absolute_url(2)).content.decode()
    assert f'data-live-url="{_url(talk, 2)}"' in last and 'role="status"' in last
    assert "js/live-replies.js" in last
    first = Client().get(talk.get_absolute_url()).content.decode()
    assert "js-live-replies" not in first


def test_it_counts_the_replies_since_and_points_at_the_first(
    talk, other_member, django_capture_on_commit_callbacks
):
    client = Client()
    assert client.get(_url(talk, 2)).json() == {"count": 0, "url": ""}
    with django_capture_on_commit_callbacks(execute=True):  # versions move
        first = factories.reply(author=other_member, thread=talk)
        factories.reply(author=factories.wait_out_flood(other_member), thread=talk)
    assert client.get(_url(talk, 2)).json() == {
        "count": 2,
        "url": f"/posts/{first.pk}/",
    }


def test_an_unchanged_thread_answers_304_without_a_query(
    talk, member, django_capture_on_commit_callbacks
):
    guest = Client()
    response = guest.get(_url(talk, 2))
    etag = response["ETag"]
    assert response["Cache-Control"].startswith("private, max-age=")
    again = guest.get(_url(talk, 2), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    with CaptureQueriesContext(connection) as captured:
        guest.get(_url(talk, 2), HTTP_IF_NONE_MATCH=etag)
    assert captured.captured_queries == []
    with django_capture_on_commit_callbacks(execute=True):
        factories.reply(author=member, thread=talk)
    assert guest.get(_url(talk, 2), HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_answer_is_kept_a_few_seconds(talk, member):
    client = Client()
    client.force_login(member)
    client.get(_url(talk, 2))
    queries = queries_for(client, _url(talk, 2))
    assert len(queries) <= 2, "\n".join(queries)  # session, member


def test_a_thread_one_may_not_see_says_nothing(talk, staff):
    services.delete_thread(actor=staff, thread=talk)
    assert Client().get(_url(talk, 2)).status_code == 404
