"""The read-replica router (forum/core/replica.py), with the "replica" alias as a
test mirror of the test database (a second connection to it): search, feeds,
sitemaps and What's new for guests read from the replica; everything else,
members' What's new, sessions, rate-limit counts and a member who just wrote
read from the primary."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from forum.core import replica
from tests import factories

BOTH = ["default", "replica"]


@pytest.fixture
def with_replica(settings):
    settings.FORUM_READ_REPLICA = "replica"
    settings.FORUM_FLOOD_SECONDS = 0
    settings.FORUM_FLOOD_SECONDS_NEW_MEMBER = 0
    yield
    connections["replica"].close()


@pytest.fixture
def board(transactional_db):
    author = factories.MemberFactory(username="Windjammer")
    node = factories.ForumFactory(title="Pakistan Defence")
    thread = factories.make_thread(
        author=author, node=node, title="Submarine deal", body="The hangor class."
    )
    return author, node, thread


def queries(alias, send):
    """(the response, the SQL run on `alias` while sending it)."""
    with CaptureQueriesContext(connections[alias]) as captured:
        response = send()
    return response, [q["sql"] for q in captured.captured_queries]


@pytest.mark.django_db(transaction=True, databases=BOTH)
@pytest.mark.parametrize(
    "path",
    ["/search/?q=hangor", "/forums/-/index.rss", "/sitemap-threads.xml", "/whats-new/"],
)
def test_stale_tolerant_pages_read_from_the_replica(client, with_replica, board, path):
    response, on_replica = queries("replica", lambda: client.get(path))

    assert response.status_code == 200
    assert on_replica, f"{path} read nothing from the replica"
    assert not any("django_session" in q or "forum_cache" in q for q in on_replica)
    if path.startswith("/search/"):
        assert "Submarine deal" in response.content.decode()


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_other_pages_and_members_whats_new_stay_on_the_primary(
    client, with_replica, board
):
    author, node, thread = board
    for path in ("/", node.get_absolute_url(), thread.get_absolute_url()):
        response, on_replica = queries("replica", lambda p=path: client.get(p))
        assert response.status_code == 200 and on_replica == [], path
    client.force_login(author)
    response, on_replica = queries("replica", lambda: client.get("/whats-new/"))
    assert response.status_code == 200 and on_replica == []


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_member_who_just_posted_finds_the_post_from_the_primary(
    client, with_replica, board
):
    author, node, thread = board
    client.force_login(author)

    posted = client.post(thread.get_reply_url(), {"body": "Delivery in 2028 frigate"})

    assert posted.status_code == 302
    pin = posted.cookies[replica.PIN_COOKIE]
    assert pin["max-age"] == 5 and pin["httponly"]
    response, on_replica = queries("replica", lambda: client.get("/search/?q=frigate"))
    assert on_replica == []
    assert "Submarine deal" in response.content.decode()
    # Once the cookie is gone (five seconds later), the replica serves again
    # (another query: the first one's shared render may be reused, which is
    # fine, since it was drawn from the fresher primary).
    del client.cookies[replica.PIN_COOKIE]
    response, on_replica = queries("replica", lambda: client.get("/search/?q=hangor"))
    assert on_replica
    assert "Submarine deal" in response.content.decode()


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_guest_page_read_from_the_replica_is_cached_only_briefly(
    client, with_replica, board, monkeypatch
):
    from forum.core import pagecache

    stored = []
    monkeypatch.setattr(
        pagecache, "put", lambda key, value, lifetime: stored.append(lifetime)
    )

    client.get("/whats-new/")

    assert stored == [5]


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_without_a_replica_nothing_is_routed_and_no_cookie_is_set(client, board):
    author, node, thread = board
    client.force_login(author)

    posted = client.post(thread.get_reply_url(), {"body": "No replica here at all"})
    _, on_replica = queries("replica", lambda: client.get("/search/?q=replica"))

    assert replica.PIN_COOKIE not in posted.cookies
    assert on_replica == []


def test_writes_and_migrations_go_to_the_primary():
    router = replica.ReplicaRouter()

    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("replica", "posts") is False
    assert router.allow_migrate("default", "posts") is True
