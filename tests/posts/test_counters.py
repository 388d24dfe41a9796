"""Counters stay exact through everything members and staff do, and recount repairs
them when something else breaks them."""

from io import StringIO

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command

from forum.posts import services
from forum.posts.recount import counter_drift
from forum.threads.models import Node, Thread
from forum.threads.services import lock_thread, move_thread, stick_thread
from tests import factories

User = get_user_model()


def test_counters_survive_a_mixed_day_on_the_forum(
    forum_node, member, other_member, staff
):
    third = factories.MemberFactory(username="Third")
    elsewhere = factories.ForumFactory(title="World Affairs", parent=forum_node.parent)
    sub = factories.ForumFactory(title="Strategic Forces", parent=forum_node)

    a = factories.make_thread(
        author=member, node=forum_node, replies=5, repliers=[other_member, third]
    )
    b = factories.make_thread(author=other_member, node=forum_node, replies=2)
    c = factories.make_thread(
        author=third, node=sub, replies=3, repliers=[member, other_member]
    )
    d = factories.make_thread(author=member, node=elsewhere, replies=1)
    r1 = factories.reply(author=third, thread=b)
    r2 = factories.reply(author=member, thread=a)

    services.edit_post(editor=member, post=r2, body="Edited reply.")
    services.edit_post(
        editor=member, post=a.posts.get(position=0), body="New text", title="Renamed"
    )
    services.delete_post(actor=third, post=r1)  # the last post of b
    services.delete_post(actor=staff, post=a.posts.get(position=2))
    services.delete_post(actor=member, post=d.posts.get(position=0))  # thread d
    services.delete_post(actor=staff, post=c.posts.get(position=1))
    services.restore_post(actor=staff, post=a.posts.get(position=2))
    move_thread(thread=c, to_node=forum_node)
    move_thread(thread=b, to_node=elsewhere)
    lock_thread(thread=a)
    stick_thread(thread=b)
    factories.reply(author=staff, thread=a)  # staff may reply to a locked thread
    services.restore_post(actor=staff, post=d.posts.get(position=0))
    services.delete_thread(actor=staff, thread=b)
    move_thread(thread=b, to_node=sub)  # moving a deleted thread moves no counts
    services.restore_thread(actor=staff, thread=b)

    assert counter_drift() == {}
    # And the numbers are the ones a member would count on the pages.
    forum_node.refresh_from_db()
    a.refresh_from_db()
    assert a.reply_count == 5 + 1 + 1  # 5 + r2 + staff reply (one deleted, restored)
    assert forum_node.thread_count == 2  # a, c (b moved away)
    assert forum_node.post_count == (a.reply_count + 1) + (3 - 1 + 1)
    assert Thread.objects.get(pk=b.pk).node_id == sub.pk


def test_counters_exact_after_replies_through_the_pages(
    member_client, thread, member, settings
):
    settings.FORUM_FLOOD_SECONDS = 0
    settings.FORUM_FLOOD_SECONDS_NEW_MEMBER = 0
    member_client.post(thread.get_reply_url(), {"body": "One."})
    member_client.post(thread.get_reply_url(), {"body": "Two."})
    member_client.post(thread.get_reply_url(), {"body": "Two."})  # double submit
    member_client.get(thread.get_absolute_url())

    member.refresh_from_db()
    assert member.message_count == 3
    assert counter_drift() == {}


def test_deleting_the_last_reply_points_the_thread_and_forum_back(
    client, forum_node, member, other_member, staff
):
    thread = factories.make_thread(author=member, node=forum_node, title="Last post")
    last = factories.reply(author=other_member, thread=thread)

    services.delete_post(actor=staff, post=last)

    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert "Reader" in soup.select_one(".node__last .meta").get_text()
    assert "Another" not in soup.select_one(".node__last .meta").get_text()
    assert counter_drift() == {}


def test_recount_command_repairs_corrupted_counters(forum_node, member, other_member):
    thread = factories.make_thread(
        author=member, node=forum_node, replies=4, repliers=[other_member]
    )
    Thread.objects.filter(pk=thread.pk).update(reply_count=99, last_poster=None)
    Node.objects.filter(pk=forum_node.pk).update(
        thread_count=7, post_count=1234, last_thread=None
    )
    User.objects.filter(pk=member.pk).update(message_count=0)
    User.objects.filter(pk=other_member.pk).update(message_count=-3)
    assert set(counter_drift()) == {"thread", "node", "member"}

    out = StringIO()
    call_command("recount", stdout=out)

    assert "Counters rebuilt." in out.getvalue()
    assert counter_drift() == {}
    thread.refresh_from_db()
    forum_node.refresh_from_db()
    member.refresh_from_db()
    other_member.refresh_from_db()
    assert thread.reply_count == 4
    assert thread.last_poster_id == other_member.pk
    assert (forum_node.thread_count, forum_node.post_count) == (1, 5)
    assert forum_node.last_thread_id == thread.pk
    assert (member.message_count, other_member.message_count) == (1, 4)


def test_recount_keeps_imported_messages(forum_node, member):
    factories.make_thread(author=member, node=forum_node)
    User.objects.filter(pk=member.pk).update(imported_messages=500, message_count=0)

    call_command("recount", stdout=StringIO())

    member.refresh_from_db()
    assert member.message_count == 501


def test_staff_reply_inside_a_deleted_thread_keeps_counters_exact(
    forum_node, member, staff
):
    thread = factories.make_thread(author=member, node=forum_node, replies=1)
    services.delete_thread(actor=staff, thread=thread)

    factories.reply(author=staff, thread=thread, body="Why this was removed.")

    assert counter_drift() == {}
    forum_node.refresh_from_db()
    assert (forum_node.thread_count, forum_node.post_count) == (0, 0)
    services.restore_thread(actor=staff, thread=thread)
    forum_node.refresh_from_db()
    assert (forum_node.thread_count, forum_node.post_count) == (1, 3)
    assert counter_drift() == {}


def test_deleting_and_restoring_replies_inside_a_deleted_thread_keeps_counters_exact(
    forum_node, member, other_member, staff
):
    thread = factories.make_thread(
        author=member, node=forum_node, replies=3, repliers=[other_member]
    )
    services.delete_thread(actor=staff, thread=thread)

    services.delete_post(actor=staff, post=thread.posts.get(position=2))
    assert counter_drift() == {}
    services.restore_post(actor=staff, post=thread.posts.get(position=2))
    services.delete_post(actor=staff, post=thread.posts.get(position=3))
    assert counter_drift() == {}
    services.restore_thread(actor=staff, thread=thread)

    thread.refresh_from_db()
    other_member.refresh_from_db()
    assert thread.reply_count == 2
    assert other_member.message_count == 2
    assert counter_drift() == {}


def test_deleting_a_thread_with_posts_of_a_closed_account_keeps_counters_exact(
    forum_node, member, other_member, staff
):
    thread = factories.make_thread(
        author=member, node=forum_node, replies=2, repliers=[other_member]
    )
    other_member.delete()  # their posts stay, signed with their old name

    services.delete_thread(actor=staff, thread=thread)
    forum_node.refresh_from_db()
    assert forum_node.post_count == 0
    assert counter_drift() == {}

    services.restore_thread(actor=staff, thread=thread)
    forum_node.refresh_from_db()
    assert forum_node.post_count == 3
    assert counter_drift() == {}
