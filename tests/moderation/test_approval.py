"""The approval queue: a new member's first posts, and posts with many links from
new members, wait for a moderator; only the author and moderators see them."""

from django.urls import reverse

from forum.moderation.models import ModeratorLog
from forum.posts import services
from forum.posts.approval import must_approve
from forum.posts.models import Post
from forum.posts.recount import counter_drift
from forum.threads.models import Thread
from tests import factories


def test_a_new_members_reply_waits_and_is_shown_only_to_them(
    board, approval_on, client
):
    newbie = factories.MemberFactory(username="Newbie")
    client.force_login(newbie)

    response = client.post(board.thread.get_reply_url(), {"body": "My first post!"})

    post = Post.objects.get(author=newbie)
    assert not post.is_approved
    page = client.get(response["Location"]).content.decode()
    assert "My first post!" in page
    assert "awaiting moderator approval" in page
    client.force_login(board.other)
    assert (
        "My first post!"
        not in client.get(board.thread.get_absolute_url()).content.decode()
    )
    board.thread.refresh_from_db()
    assert board.thread.reply_count == 2  # not counted
    assert counter_drift() == {}


def test_a_new_members_thread_is_held_out_of_the_forum(board, approval_on, client):
    newbie = factories.MemberFactory(username="Newbie")
    client.force_login(newbie)

    response = client.post(
        board.forum.get_post_thread_url(), {"title": "Hello all", "body": "Hi!"}
    )

    thread = Thread.objects.get(title="Hello all")
    own_view = client.get(response["Location"])
    assert own_view.status_code == 200
    assert b"Awaiting approval" in own_view.content
    assert b"Hello all" not in client.get(board.forum.get_absolute_url()).content
    client.force_login(board.other)
    assert client.get(thread.get_absolute_url()).status_code == 404
    assert counter_drift() == {}


def test_after_three_approved_posts_a_member_posts_freely(board, approval_on):
    newbie = factories.MemberFactory(username="Newbie")
    for n in range(3):
        post = services.reply_to_thread(
            author=newbie, thread=board.thread, body=f"Post {n}", enforce_limits=False
        ).post
        Post.objects.filter(pk=post.pk).update(is_approved=True)

    assert not must_approve(newbie, body="Fourth", node=board.forum)


def test_a_new_member_with_many_links_waits_even_after_three_posts(board, approval_on):
    newbie = factories.MemberFactory(username="Linker")
    for n in range(3):
        factories.reply(author=newbie, thread=board.thread, body=f"Plain {n}")
    newbie.refresh_from_db()
    links = "See http://a.example https://b.example and [url]http://c.example[/url]"

    assert must_approve(newbie, body=links, node=board.forum)
    assert not must_approve(newbie, body="one link http://a.example", node=board.forum)


def test_moderators_and_staff_never_wait(board, approval_on):
    fresh_mod = board.mod_here
    assert not must_approve(
        fresh_mod, body="http://a http://b http://c", node=board.forum
    )
    assert not must_approve(board.admin, body="Hello", node=board.forum)


def test_the_queue_page_lists_held_posts_and_approving_publishes_them(
    board, approval_on, client
):
    newbie = factories.MemberFactory(username="Newbie")
    held = services.reply_to_thread(
        author=newbie, thread=board.thread, body="Waiting here"
    ).post
    client.force_login(board.mod_here)

    queue = client.get(reverse("moderation:queue"))
    assert b"Waiting here" in queue.content
    client.post(reverse("moderation:post_action", args=[held.pk, "approve"]))

    held.refresh_from_db()
    assert held.is_approved
    client.force_login(board.other)
    assert b"Waiting here" in client.get(board.thread.get_absolute_url()).content
    assert ModeratorLog.objects.filter(
        action="approve_post", target_id=held.pk
    ).exists()
    assert counter_drift() == {}


def test_rejecting_a_held_post_hides_it_from_its_author_too(board, approval_on, client):
    newbie = factories.MemberFactory(username="Newbie")
    held = services.reply_to_thread(
        author=newbie, thread=board.thread, body="Buy cheap pills"
    ).post
    client.force_login(board.mod_here)

    client.post(
        reverse("moderation:post_action", args=[held.pk, "reject"]), {"reason": "Spam"}
    )

    held.refresh_from_db()
    assert held.is_deleted and held.delete_reason == "Spam"
    client.force_login(newbie)
    assert b"Buy cheap pills" not in client.get(board.thread.get_absolute_url()).content
    assert counter_drift() == {}


def test_a_moderator_of_another_forum_sees_nothing_of_this_queue(
    board, approval_on, client
):
    newbie = factories.MemberFactory(username="Newbie")
    services.reply_to_thread(author=newbie, thread=board.thread, body="Army post")
    client.force_login(board.mod_other)

    assert b"Army post" not in client.get(reverse("moderation:queue")).content


def test_approving_a_held_thread_from_the_queue_puts_it_in_the_forum(
    board, approval_on, client
):
    newbie = factories.MemberFactory(username="Newbie")
    post = services.create_thread(
        author=newbie, node=board.forum, title="Introductions", body="Hi"
    ).post
    client.force_login(board.mod_here)

    client.post(reverse("moderation:post_action", args=[post.pk, "approve"]))

    client.force_login(board.other)
    assert b"Introductions" in client.get(board.forum.get_absolute_url()).content
    assert counter_drift() == {}


def test_nobody_can_reply_to_a_held_thread(board, approval_on, client):
    newbie = factories.MemberFactory(username="Newbie")
    post = services.create_thread(
        author=newbie, node=board.forum, title="Held", body="Hi"
    ).post
    client.force_login(newbie)

    page = client.get(post.thread.get_absolute_url())

    assert b"awaiting moderator approval" in page.content
    assert b'id="reply"' not in page.content


def test_undoing_the_approval_of_a_held_thread_sends_it_back_to_the_queue(
    board, approval_on
):
    from forum.moderation.services import content
    from forum.moderation.services.undo import undo_entry

    newbie = factories.MemberFactory(username="Newbie")
    post = services.create_thread(
        author=newbie, node=board.forum, title="Second thoughts", body="Hi"
    ).post
    entry = content.approve_post(actor=board.mod_here, post=post)

    undo_entry(actor=board.mod_here, entry=entry)

    post.refresh_from_db()
    post.thread.refresh_from_db()
    assert not post.is_approved
    assert post.thread.is_deleted and post.thread.delete_reason == "Awaiting approval"
    assert post in approval_queue_for(board.mod_here)
    assert counter_drift() == {}


def approval_queue_for(user):
    from forum.moderation.selectors import approval_queue

    return approval_queue(user)
