"""The guest page cache: fast for guests, never stale after a write, never shared
with members.

Writes invalidate cached pages when their transaction commits; the tests run inside
one transaction, so they run the commit callbacks explicitly.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.posts import services
from forum.threads.services import lock_thread
from forum.threads.viewcounts import flush_view_counts
from tests import factories


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_guest_gets_a_cached_thread_page_without_touching_the_database(client, thread):
    first = client.get(thread.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(thread.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert len(queries) == 0


def test_guest_page_sets_no_cookie_and_writes_nothing(client, thread):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    assert not response.cookies
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def test_a_reply_shows_at_once_on_the_cached_thread_forum_and_index_pages(
    client, thread, other_member, commit
):
    urls = [thread.get_absolute_url(), thread.node.get_absolute_url(), "/"]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"

    with commit():
        services.reply_to_thread(
            author=other_member,
            thread=thread,
            body="Fresh news from the border crossing.",
            enforce_limits=False,
        )

    page = client.get(thread.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert "Fresh news from the border crossing." in page.content.decode()
    assert "Another" in client.get(thread.node.get_absolute_url()).content.decode()
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_locking_a_thread_shows_at_once_to_guests(client, thread, commit):
    client.get(thread.get_absolute_url())
    assert "label--locked" not in client.get(thread.get_absolute_url()).content.decode()
    with commit():
        lock_thread(thread=thread, locked=True)
    assert "label--locked" in client.get(thread.get_absolute_url()).content.decode()


def test_members_are_never_served_a_guest_page(client, thread, member):
    client.get(thread.get_absolute_url())  # cached for guests
    client.force_login(member)
    response = client.get(thread.get_absolute_url())
    html = response.content.decode()
    assert response["X-Page-Cache"] == "member-miss"  # the members' own render
    assert "Write your reply" in html
    assert member.username in html


def test_a_members_page_is_never_stored_for_guests(client, thread, member):
    client.force_login(member)
    client.get(thread.get_absolute_url())
    client.logout()
    client.cookies.clear()
    response = client.get(thread.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "Write your reply" not in response.content.decode()


def test_views_on_cached_pages_still_count(client, thread):
    client.get(thread.get_absolute_url(), HTTP_USER_AGENT="first reader")
    client.get(thread.get_absolute_url(), HTTP_USER_AGENT="second reader")
    flush_view_counts()
    thread.refresh_from_db()
    assert thread.view_count == 2


def test_a_deleted_thread_is_not_served_from_the_cache(client, thread, staff, commit):
    client.get(thread.get_absolute_url())
    with commit():
        services.delete_thread(actor=staff, thread=thread)
    assert client.get(thread.get_absolute_url()).status_code == 404


def test_page_cache_can_be_switched_off(client, thread, settings):
    settings.FORUM_GUEST_CACHE_SECONDS = 0
    client.get(thread.get_absolute_url())
    assert "X-Page-Cache" not in client.get(thread.get_absolute_url())


def test_new_thread_appears_at_once_on_the_cached_forum_page(
    client, forum_node, member, commit
):
    client.get(forum_node.get_absolute_url())
    with commit():
        factories.make_thread(author=member, node=forum_node, title="Brand new debate")
    assert (
        "Brand new debate" in client.get(forum_node.get_absolute_url()).content.decode()
    )


def test_entries_another_release_left_in_the_cache_are_rendered_afresh(
    client, thread, member
):
    """During a rolling deploy two releases share the cache: an entry this one
    cannot read is a miss, never an error page."""
    import pickle

    from django.core.cache import caches

    from forum.core import pagecache

    member_client = type(client)()
    member_client.force_login(member)
    client.get(thread.get_absolute_url())
    member_client.get(thread.get_absolute_url())
    store = caches["pages"]
    for key in list(store._cache):  # what another release might have written
        if "page:" in key:
            store._cache[key] = pickle.dumps(("from", "another", "release"))
    pagecache.forget_local()

    guest = client.get(thread.get_absolute_url())
    as_member = member_client.get(thread.get_absolute_url())

    assert guest.status_code == 200 and thread.title in guest.content.decode()
    assert (
        as_member.status_code == 200
        and "Write your reply" in as_member.content.decode()
    )
