"""What's new: a member's unread threads, new threads, the latest posts; guests see
the latest activity; nothing they may not see."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from forum.posts import services
from tests import factories


def titles(html: str) -> list[str]:
    """Thread titles in the order the list shows them."""
    found = re.findall(
        r'class="(?:thread-row|activity-row)__title">\s*'
        r'(?:<span class="visually-hidden">Unread: </span>)?\s*'
        r'<a href="[^"]*">([^<]*)</a>',
        html,
    )
    return found


def get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def board(forum_node, other_member):
    """Three threads by another member, active in the order old, middle, new."""
    now = timezone.now()
    made = {}
    for minutes, title in [(50, "Old"), (30, "Middle"), (10, "New")]:
        made[title] = services.create_thread(
            author=other_member,
            node=forum_node,
            title=title,
            body=f"The {title.lower()} one.",
            enforce_limits=False,
            at=now - timedelta(minutes=minutes),
        ).post.thread
    return made


def test_the_main_navigation_links_whats_new_and_search(client, db):
    html = get(client, "/")

    assert '<a href="/whats-new/">What\'s new</a>' in html
    assert '<a href="/search/">Search</a>' in html
    assert 'action="/search/"' in html  # the header search box


def test_new_posts_lists_recent_threads_and_marks_a_members_unread_ones(
    member_client, board
):
    member_client.get(board["Middle"].get_absolute_url())  # read

    html = get(member_client, "/whats-new/posts/")

    assert titles(html) == ["New", "Middle", "Old"]
    openings = re.findall(r'<div class="thread-row(?: [^"]*)?"', html)
    rows = dict(zip(titles(html), openings, strict=True))
    assert "thread-row--unread" in rows["New"] and "thread-row--unread" in rows["Old"]
    assert "thread-row--unread" not in rows["Middle"]


def test_unread_only_lists_a_members_unread_threads_newest_activity_first(
    member_client, board
):
    member_client.get(board["Middle"].get_absolute_url())  # read

    html = get(member_client, "/whats-new/posts/?unread=1")

    assert titles(html) == ["New", "Old"]
    assert "thread-row--unread" in html
    assert 'href="/whats-new/posts/">Show every thread' in html


def test_new_posts_links_each_thread_to_its_first_unread_post(member_client, board):
    html = get(member_client, "/whats-new/posts/")

    assert f'href="/threads/new.{board["New"].pk}/unread"' in html


def test_new_posts_moves_a_thread_to_the_top_when_someone_replies(
    member_client, board, other_member
):
    factories.reply(author=other_member, thread=board["Old"])

    assert titles(get(member_client, "/whats-new/posts/"))[0] == "Old"


def test_a_member_who_has_read_everything_is_told_so(member_client, board):
    member_client.post("/forums/-/mark-read")

    html = get(member_client, "/whats-new/posts/?unread=1")

    assert titles(html) == []
    assert "You have read everything" in html


def test_whats_new_opens_on_the_new_posts(member_client, board):
    member_client.get(board["New"].get_absolute_url())

    html = get(member_client, "/whats-new/")

    assert titles(html) == ["New", "Middle", "Old"]
    assert 'aria-current="page" class="tabs__current">New posts' in html


def test_guests_see_the_latest_active_threads(client, board):
    html = get(client, "/whats-new/")

    assert titles(html) == ["New", "Middle", "Old"]
    assert "thread-row--unread" not in html
    assert "Mark all forums read" not in html


def test_new_threads_are_ordered_by_start_date(client, board, other_member):
    factories.reply(author=other_member, thread=board["Old"])

    assert titles(get(client, "/whats-new/threads/")) == ["New", "Middle", "Old"]


def test_latest_activity_shows_recent_posts_with_excerpts(client, board, member):
    reply = factories.reply(
        author=member, thread=board["Old"], body="A considered reply about radars."
    )

    html = get(client, "/whats-new/latest-activity/")

    assert titles(html)[0] == "Old"
    assert "A considered reply about radars." in html
    assert f'href="/threads/old.{board["Old"].pk}/#post-{reply.pk}"' in html


def test_latest_activity_escapes_what_members_wrote(client, forum_node, member):
    factories.make_thread(
        author=member,
        node=forum_node,
        title="<b>Bold</b> title",
        body="Look: [code]<script>alert(1)</script>[/code]",
    )

    html = get(client, "/whats-new/latest-activity/")

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in html


def test_whats_new_leaves_out_deleted_threads_and_posts(client, board, member, staff):
    services.delete_thread(actor=staff, thread=board["Middle"])
    gone = factories.reply(author=member, thread=board["Old"], body="Soon gone.")
    services.delete_post(actor=staff, post=gone)

    assert "Middle" not in titles(get(client, "/whats-new/posts/"))
    assert "Middle" not in titles(get(client, "/whats-new/threads/"))
    activity = get(client, "/whats-new/latest-activity/")
    assert "Soon gone." not in activity
    assert "Middle" not in titles(activity)


def test_staff_do_not_see_deleted_threads_in_whats_new_either(client, board, staff):
    services.delete_thread(actor=staff, thread=board["Middle"])
    client.force_login(staff)

    assert "Middle" not in titles(get(client, "/whats-new/threads/"))


def test_whats_new_is_paginated_twenty_a_page(client, forum_node, member):
    for n in range(23):
        factories.make_thread(author=member, node=forum_node, title=f"Topic {n}")

    first = get(client, "/whats-new/threads/")
    second = get(client, "/whats-new/threads/?page=2")

    assert len(titles(first)) == 20
    assert titles(second) == ["Topic 2", "Topic 1", "Topic 0"]
    assert 'href="?page=2"' in first
    assert (
        '<link rel="canonical" href="http://testserver/whats-new/threads/?page=2">'
        in (second)
    )


def test_a_page_past_the_end_shows_the_last_page(client, board):
    assert titles(get(client, "/whats-new/threads/?page=99")) == [
        "New",
        "Middle",
        "Old",
    ]
