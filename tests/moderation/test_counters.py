"""Counters stay exact through every moderator action: `counter_drift()` is empty
after split, merge, move, delete, restore and approve."""

import pytest

from forum.moderation.services import content, structure
from forum.moderation.services.structure import ModerationRefused
from forum.posts.models import Post
from forum.posts.recount import counter_drift
from forum.threads.models import Thread
from tests import factories


def positions(thread) -> list[int]:
    return list(
        Post.objects.filter(thread=thread)
        .order_by("position")
        .values_list("position", flat=True)
    )


def bodies(thread) -> list[str]:
    return list(
        Post.objects.filter(thread=thread)
        .order_by("position")
        .values_list("body", flat=True)
    )


def test_merging_threads_appends_posts_by_date_and_keeps_counters_exact(board):
    older = factories.make_thread(
        author=board.other, node=board.other_forum, title="Ships", replies=2
    )
    target = board.thread  # created after `older`: its posts are newer
    structure.merge_threads(actor=board.admin, source=older, target=target)

    target.refresh_from_db()
    assert not Thread.objects.filter(pk=older.pk).exists()
    assert positions(target) == list(range(6))
    assert target.last_position == 5
    assert target.reply_count == 5
    first = bodies(target)[0]
    assert first.startswith("Opening post")  # the target's opening post stays
    assert Post.objects.get(pk=target.first_post_id).position == 0
    assert counter_drift() == {}


def test_merging_keeps_hidden_posts_hidden_and_counted_nowhere(board):
    source = factories.make_thread(author=board.other, node=board.forum, replies=3)
    hidden = source.posts.get(position=2)
    content.delete_post(actor=board.admin, post=hidden, reason="Off topic")

    structure.merge_threads(actor=board.admin, source=source, target=board.thread)

    hidden.refresh_from_db()
    assert hidden.thread_id == board.thread.pk and hidden.is_deleted
    board.thread.refresh_from_db()
    assert board.thread.reply_count == 2 + 3  # three visible from the source
    assert counter_drift() == {}


def test_splitting_posts_makes_a_thread_and_keeps_counters_exact(board):
    thread = factories.make_thread(
        author=board.author,
        node=board.forum,
        replies=6,
        repliers=[board.author, board.other],
    )
    chosen = list(thread.posts.filter(position__in=[2, 4, 5]).order_by("position"))

    result = structure.split_posts(
        actor=board.mod_here,
        post_ids=[p.pk for p in chosen],
        title="Split off",
        node=board.other_forum,
    )

    new = result.thread
    new.refresh_from_db()
    thread.refresh_from_db()
    assert new.node == board.other_forum
    assert positions(new) == [0, 1, 2]
    assert new.first_post_id == chosen[0].pk
    assert new.starter_id == chosen[0].author_id
    assert new.reply_count == 2
    assert thread.reply_count == 6 - 3
    assert thread.last_position == 6  # position 6 stays
    assert counter_drift() == {}


def test_splitting_the_last_posts_lowers_last_position(board):
    thread = factories.make_thread(author=board.author, node=board.forum, replies=4)
    last_two = thread.posts.filter(position__in=[3, 4])

    structure.split_posts(
        actor=board.admin,
        post_ids=[p.pk for p in last_two],
        title="Tail",
        node=board.forum,
    )

    thread.refresh_from_db()
    assert thread.last_position == 2
    assert counter_drift() == {}
    reply = factories.reply(author=board.other, thread=thread)
    assert reply.position == 3
    assert counter_drift() == {}


def test_the_first_post_cannot_be_split_off(board):
    with pytest.raises(ModerationRefused):
        structure.split_posts(
            actor=board.admin,
            post_ids=[board.thread.first_post_id],
            title="Nope",
            node=board.forum,
        )


def test_moving_posts_renumbers_the_target_by_date(board):
    target = factories.make_thread(author=board.other, node=board.other_forum)
    later = factories.make_thread(author=board.author, node=board.forum, replies=2)
    moving = list(later.posts.exclude(position=0))

    structure.move_posts(
        actor=board.admin, post_ids=[p.pk for p in moving], target=target
    )

    target.refresh_from_db()
    assert positions(target) == [0, 1, 2]
    assert target.reply_count == 2
    assert target.last_post_id == moving[-1].pk
    assert counter_drift() == {}


def test_delete_restore_and_thread_moves_keep_counters_exact(board):
    post = board.thread.posts.get(position=1)
    content.delete_post(actor=board.mod_here, post=post, reason="Spam")
    assert counter_drift() == {}
    content.restore_post(actor=board.mod_here, post=post)
    assert counter_drift() == {}
    content.delete_thread(actor=board.mod_here, thread=board.thread, reason="Dup")
    assert counter_drift() == {}
    content.restore_thread(actor=board.mod_here, thread=board.thread)
    assert counter_drift() == {}
    content.move_thread(actor=board.admin, thread=board.thread, node=board.other_forum)
    assert counter_drift() == {}


def test_approving_and_unapproving_keep_counters_exact(board, approval_on):
    newbie = factories.MemberFactory(username="Newbie")
    from forum.posts import services

    held = services.reply_to_thread(
        author=newbie, thread=board.thread, body="First words"
    ).post
    assert not held.is_approved
    assert counter_drift() == {}

    content.approve_post(actor=board.mod_here, post=held)
    newbie.refresh_from_db()
    board.thread.refresh_from_db()
    assert newbie.message_count == 1
    assert board.thread.last_post_id == held.pk
    assert counter_drift() == {}

    content.unapprove_post(actor=board.mod_here, post=held)
    board.thread.refresh_from_db()
    assert board.thread.last_post_id != held.pk
    assert counter_drift() == {}


def test_approving_a_held_thread_brings_it_into_its_forum(board, approval_on):
    from forum.posts import services

    newbie = factories.MemberFactory(username="Newbie")
    board.forum.refresh_from_db()
    threads_before = board.forum.thread_count

    post = services.create_thread(
        author=newbie, node=board.forum, title="Hello", body="Hi all"
    ).post
    board.forum.refresh_from_db()
    assert board.forum.thread_count == threads_before
    assert counter_drift() == {}

    content.approve_post(actor=board.mod_here, post=post)
    board.forum.refresh_from_db()
    post.thread.refresh_from_db()
    assert board.forum.thread_count == threads_before + 1
    assert not post.thread.is_deleted
    assert post.thread.last_post_id == post.pk
    assert counter_drift() == {}


def test_a_member_reply_in_a_merged_thread_continues_the_numbering(board):
    source = factories.make_thread(author=board.other, node=board.forum, replies=1)
    structure.merge_threads(actor=board.admin, source=source, target=board.thread)
    board.thread.refresh_from_db()

    reply = factories.reply(author=board.author, thread=board.thread)

    assert reply.position == board.thread.last_position + 1
    assert counter_drift() == {}
