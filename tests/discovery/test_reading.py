"""Unread markers: what a member has not read is marked, reading clears it, "mark
read" clears it in bulk, and guests leave no trace."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from forum.posts import services
from forum.threads.models import NodeRead, ThreadRead
from tests import factories


def thread_row(html: str, title: str) -> str:
    """The forum-page row of one thread."""
    for row in re.findall(r'<div class="thread-row.*?</dl>', html, re.S):
        if f">{title}</a>" in row:
            return row
    raise AssertionError(f"No row for {title!r}")


def node_row(html: str, title: str) -> str:
    for row in re.findall(r'<div class="node.*?</h3>', html, re.S):
        if f">{title}</a>" in row:
            return row
    raise AssertionError(f"No forum row for {title!r}")


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def news(forum_node, other_member):
    return factories.make_thread(
        author=other_member, node=forum_node, title="Fresh news", replies=2
    )


def test_a_thread_with_posts_the_member_has_not_read_is_marked_unread(
    member_client, forum_node, news
):
    row = thread_row(page(member_client, forum_node.get_absolute_url()), "Fresh news")

    assert "thread-row--unread" in row
    assert "Unread: " in row
    assert f'href="/threads/fresh-news.{news.pk}/unread"' in row


def test_reading_the_thread_clears_its_unread_marker(member_client, forum_node, news):
    member_client.get(news.get_absolute_url())

    row = thread_row(page(member_client, forum_node.get_absolute_url()), "Fresh news")
    assert "thread-row--unread" not in row
    assert "/unread" not in row


def test_a_new_reply_after_reading_marks_the_thread_unread_again(
    member_client, forum_node, news, other_member
):
    member_client.get(news.get_absolute_url())
    factories.reply(author=other_member, thread=news)

    row = thread_row(page(member_client, forum_node.get_absolute_url()), "Fresh news")
    assert "thread-row--unread" in row


def test_reading_only_the_first_page_leaves_a_long_thread_unread(
    member_client, forum_node, other_member
):
    long_thread = factories.make_thread(
        author=other_member, node=forum_node, title="Long one", replies=24
    )
    member_client.get(long_thread.get_absolute_url())  # posts 1-20 of 25

    row = thread_row(page(member_client, forum_node.get_absolute_url()), "Long one")
    assert "thread-row--unread" in row


def test_the_index_marks_forums_holding_unread_threads(member_client, forum_node, news):
    factories.ForumFactory(title="Quiet corner", parent=forum_node.parent)
    html = page(member_client, "/")

    assert "node--unread" in node_row(html, "Pakistan Defence")
    assert "node--unread" not in node_row(html, "Quiet corner")


def test_the_index_marks_a_forum_whose_sub_forum_has_unread_threads(
    member_client, forum_node, other_member
):
    sub = factories.ForumFactory(title="Missiles", parent=forum_node)
    factories.make_thread(author=other_member, node=sub, title="Shaheen III")

    html = page(member_client, "/")
    assert "node--unread" in node_row(html, "Pakistan Defence")
    sub_row = node_row(page(member_client, forum_node.get_absolute_url()), "Missiles")
    assert "node--unread" in sub_row


def test_the_index_clears_the_forum_marker_once_its_threads_are_read(
    member_client, forum_node, news
):
    member_client.get(news.get_absolute_url())

    assert "node--unread" not in node_row(page(member_client, "/"), "Pakistan Defence")


def test_jump_to_unread_goes_to_the_first_unread_post_on_its_page(
    member_client, forum_node, other_member
):
    long_thread = factories.make_thread(
        author=other_member, node=forum_node, title="Long one", replies=24
    )
    member_client.get(long_thread.get_absolute_url())  # read positions 0-19
    first_unread = long_thread.posts.get(position=20)

    response = member_client.get(f"/threads/long-one.{long_thread.pk}/unread")

    assert response.status_code == 302
    assert response["Location"] == (
        f"/threads/long-one.{long_thread.pk}/page-2#post-{first_unread.pk}"
    )


def test_jump_to_unread_in_a_thread_never_opened_goes_to_the_first_post(
    member_client, news
):
    response = member_client.get(f"/threads/fresh-news.{news.pk}/unread")

    first = news.posts.get(position=0)
    assert response["Location"] == f"/threads/fresh-news.{news.pk}/#post-{first.pk}"


def test_jump_to_unread_when_everything_is_read_goes_to_the_last_post(
    member_client, news
):
    member_client.get(news.get_absolute_url())

    response = member_client.get(f"/threads/fresh-news.{news.pk}/unread")

    last = news.posts.get(position=2)
    assert response["Location"] == f"/threads/fresh-news.{news.pk}/#post-{last.pk}"


def test_jump_to_unread_skips_posts_older_than_the_forum_was_marked_read(
    member_client, forum_node, news, other_member
):
    member_client.post(forum_node.get_absolute_url() + "mark-read")
    newer = factories.reply(author=other_member, thread=news)

    response = member_client.get(f"/threads/fresh-news.{news.pk}/unread")

    assert response["Location"].endswith(f"#post-{newer.pk}")


def test_mark_forum_read_clears_every_unread_marker_in_the_forum(
    member_client, forum_node, news, other_member
):
    factories.make_thread(author=other_member, node=forum_node, title="Second")

    response = member_client.post(forum_node.get_absolute_url() + "mark-read")

    assert response.status_code == 302
    html = page(member_client, forum_node.get_absolute_url())
    assert "thread-row--unread" not in html
    assert "has been marked as read" in html
    assert "node--unread" not in node_row(page(member_client, "/"), "Pakistan Defence")


def test_a_reply_after_mark_forum_read_is_unread_again(
    member_client, forum_node, news, other_member
):
    member_client.post(forum_node.get_absolute_url() + "mark-read")
    factories.reply(author=other_member, thread=news)

    row = thread_row(page(member_client, forum_node.get_absolute_url()), "Fresh news")
    assert "thread-row--unread" in row


def test_mark_forum_read_also_marks_its_sub_forums(
    member_client, member, forum_node, other_member
):
    sub = factories.ForumFactory(title="Missiles", parent=forum_node)
    factories.make_thread(author=other_member, node=sub, title="Shaheen III")

    member_client.post(forum_node.get_absolute_url() + "mark-read")

    assert NodeRead.objects.filter(user=member, node=sub).exists()
    assert "thread-row--unread" not in page(member_client, sub.get_absolute_url())


def test_mark_all_forums_read_clears_the_whole_index(
    member_client, forum_node, news, other_member
):
    elsewhere = factories.ForumFactory(title="Elsewhere", parent=forum_node.parent)
    factories.make_thread(author=other_member, node=elsewhere, title="Far away")

    response = member_client.post("/forums/-/mark-read", follow=True)

    html = response.content.decode()
    assert "All forums have been marked as read." in html
    assert "node--unread" not in html


def test_mark_read_is_a_post_only_action(member_client, forum_node):
    url = forum_node.get_absolute_url() + "mark-read"
    assert member_client.get(url).status_code == 405
    assert member_client.get("/forums/-/mark-read").status_code == 405


def test_mark_read_asks_a_guest_to_log_in(client, forum_node):
    response = client.post(forum_node.get_absolute_url() + "mark-read")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not NodeRead.objects.exists()


def test_mark_forum_read_refuses_a_forged_request(member, forum_node):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(forum_node.get_absolute_url() + "mark-read")

    assert response.status_code == 403
    assert not NodeRead.objects.exists()


def test_a_guest_reading_a_thread_stores_nothing_and_gets_no_session(
    client, news, forum_node
):
    response = client.get(news.get_absolute_url())

    assert response.status_code == 200
    assert not ThreadRead.objects.exists()
    assert "sessionid" not in response.cookies
    html = page(client, forum_node.get_absolute_url())
    assert "thread-row--unread" not in html
    assert "Mark forum read" not in html


def test_a_guest_jumping_to_unread_lands_on_the_first_post(client, news):
    response = client.get(f"/threads/fresh-news.{news.pk}/unread")

    assert response.status_code == 302
    assert not ThreadRead.objects.exists()


def test_a_deleted_last_post_does_not_keep_a_read_thread_unread(
    member_client, forum_node, news, other_member, staff
):
    member_client.get(news.get_absolute_url())
    spam = factories.reply(author=other_member, thread=news)
    services.delete_post(actor=staff, post=spam)

    row = thread_row(page(member_client, forum_node.get_absolute_url()), "Fresh news")
    assert "thread-row--unread" not in row


def test_activity_older_than_the_read_marking_window_counts_as_read(
    member_client, forum_node, other_member
):
    services.create_thread(
        author=other_member,
        node=forum_node,
        title="Ancient history",
        body="From long ago.",
        enforce_limits=False,
        at=timezone.now() - timedelta(days=45),
    )

    html = page(member_client, forum_node.get_absolute_url())
    assert "thread-row--unread" not in thread_row(html, "Ancient history")


def test_a_thread_in_a_missing_forum_is_not_found_for_jump(member_client):
    assert member_client.get("/threads/nothing.999999/unread").status_code == 404
