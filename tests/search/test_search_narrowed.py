"""A search kept to one forum or tag walks the board's newest posts first, then
finds the older matches another way (forum.search.candidates): whichever way,
the results are the newest matches of those threads and no others. The window
is made a few posts wide here, so that every way is taken on a small board."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from forum.search import candidates
from forum.threads import tagging
from tests import factories
from tests.search.test_search import post_thread, results, search


@pytest.fixture(params=["read each post", "ask the word index"])
def small_window(request, monkeypatch):
    """Older matches found both ways: these few threads' posts each read for
    their words, or met with the word index's matches."""
    monkeypatch.setattr(candidates, "WINDOW", 3)
    monkeypatch.setattr(candidates, "_window", {"start": None, "until": 0.0})
    if request.param == "ask the word index":
        monkeypatch.setattr(candidates, "READ_ALL", 0)


@pytest.fixture
def board(forum_node, member):
    """Five old "patrol" threads tagged Navy (Patrol 0 oldest), then a busy
    elsewhere: newer posts about patrols in another forum, and untagged ones."""
    base = timezone.now() - timedelta(days=10)
    navy = []
    for n in range(5):
        post = post_thread(
            member,
            forum_node,
            f"Patrol {n}",
            "Patrol boats at sea.",
            at=base + timedelta(hours=n),
        )
        tagging.set_thread_tags(thread=post.thread, names=["Navy"], by=member)
        navy.append(post.thread)
    elsewhere = factories.ForumFactory(title="Elsewhere", parent=forum_node.parent)
    for n in range(6):
        post_thread(
            member,
            elsewhere,
            f"Border patrol {n}",
            "Patrol on the border.",
            at=base + timedelta(days=1, hours=n),
        )
    return navy, elsewhere


def test_older_matches_of_a_tag_are_found_beyond_the_newest_posts(
    client, board, small_window
):
    _, html = search(client, q="patrol", tag="navy")

    assert sorted(results(html)) == [f"Patrol {n}" for n in range(5)]


@pytest.mark.parametrize("forum_posts", ["few", "many"])
def test_a_forum_search_beyond_the_window_is_the_newest_matches_and_says_more(
    client, board, forum_node, small_window, monkeypatch, forum_posts
):
    if forum_posts == "many":  # more than are read at once: the window first
        monkeypatch.setattr(candidates, "READ_ALL", 1)
    with override_settings(FORUM_SEARCH_MAX_RESULTS=3):
        _, html = search(client, q="patrol", node=forum_node.pk)

    assert "Results: 3+" in html
    assert sorted(results(html)) == ["Patrol 2", "Patrol 3", "Patrol 4"]


def test_the_walk_goes_on_when_the_window_held_some_matches(
    client, board, member, forum_node, small_window
):
    # One Navy thread is among the newest posts: the window holds a match.
    newest = post_thread(member, forum_node, "Patrol 5", "Patrol boats again.")
    tagging.set_thread_tags(thread=newest.thread, names=["Navy"], by=member)
    with override_settings(FORUM_SEARCH_MAX_RESULTS=3):
        _, html = search(client, q="patrol", tag="navy")

    assert "Results: 3+" in html
    assert sorted(results(html)) == ["Patrol 3", "Patrol 4", "Patrol 5"]


def test_a_search_leaves_the_connection_planning_as_before(client, board, forum_node):
    """A narrowed search changes two planner settings for its walk: every page
    after it on the same connection is planned as before."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        before = cursor.fetchone()[0]

    _, html = search(client, q="patrol", node=forum_node.pk)

    assert "Patrol 4" in results(html)
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == before != "0"
