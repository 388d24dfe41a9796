"""Every moderator action is logged (who, what, on what, why, before/after) and can
be undone from the log where that makes sense."""

import pytest
from django.urls import reverse

from forum.moderation.models import ModeratorLog
from forum.moderation.services import content, structure
from forum.moderation.services.structure import ModerationRefused
from forum.moderation.services.undo import undo_entry
from forum.posts.models import Post
from forum.posts.recount import counter_drift
from forum.threads.models import Thread
from tests import factories


def test_locking_from_the_thread_page_writes_a_log_entry(board, client):
    client.force_login(board.mod_here)

    client.post(
        reverse("moderation:thread_action", args=[board.thread.pk, "lock"]),
        {"reason": "Cooling off"},
    )

    entry = ModeratorLog.objects.get()
    assert entry.actor == board.mod_here
    assert entry.action == "lock"
    assert (entry.target_type, entry.target_id) == ("thread", board.thread.pk)
    assert entry.reason == "Cooling off"
    assert entry.before == {"is_locked": False}
    assert entry.after == {"is_locked": True}
    assert entry.node_id == board.forum.pk


def test_a_moderator_deleting_someone_elses_post_is_logged_but_not_the_author(
    board, client
):
    theirs = board.thread.posts.get(position=1)  # the member's
    client.force_login(board.mod_here)
    client.post(reverse("posts:delete", args=[theirs.pk]), {"reason": "Rude"})
    client.force_login(board.author)
    own = factories.reply(author=board.author, thread=board.thread)
    client.post(reverse("posts:delete", args=[own.pk]), {"reason": ""})

    entries = list(ModeratorLog.objects.values_list("action", "target_id", "reason"))
    assert entries == [("delete_post", theirs.pk, "Rude")]


def test_a_moderators_edit_of_someone_elses_post_is_logged_with_history(board, client):
    post = board.thread.posts.get(position=1)
    client.force_login(board.mod_here)

    client.post(reverse("posts:edit", args=[post.pk]), {"body": "Moderated text."})

    assert post.edits.count() == 1
    assert ModeratorLog.objects.filter(action="edit_post", target_id=post.pk).exists()


@pytest.mark.parametrize(
    ("do", "check"),
    [
        (
            lambda b: content.set_locked(actor=b.admin, thread=b.thread, locked=True),
            lambda b: not Thread.objects.get(pk=b.thread.pk).is_locked,
        ),
        (
            lambda b: content.set_sticky(actor=b.admin, thread=b.thread, sticky=True),
            lambda b: not Thread.objects.get(pk=b.thread.pk).is_sticky,
        ),
        (
            lambda b: content.move_thread(
                actor=b.admin, thread=b.thread, node=b.other_forum
            ),
            lambda b: Thread.objects.get(pk=b.thread.pk).node_id == b.forum.pk,
        ),
        (
            lambda b: content.delete_thread(actor=b.admin, thread=b.thread),
            lambda b: not Thread.objects.get(pk=b.thread.pk).is_deleted,
        ),
        (
            lambda b: content.delete_post(
                actor=b.admin, post=b.thread.posts.get(position=2)
            ),
            lambda b: not b.thread.posts.get(position=2).is_deleted,
        ),
        (
            lambda b: content.unapprove_post(
                actor=b.admin, post=b.thread.posts.get(position=2)
            ),
            lambda b: b.thread.posts.get(position=2).is_approved,
        ),
    ],
    ids=["lock", "stick", "move", "delete-thread", "delete-post", "unapprove"],
)
def test_undo_from_the_log_reverses_the_action(board, do, check):
    entry = do(board)

    undo_entry(actor=board.mod_here, entry=entry)

    assert check(board)
    entry.refresh_from_db()
    assert entry.undone_at is not None and entry.undone_by == board.mod_here
    assert ModeratorLog.objects.filter(undo_of=entry).exists()
    assert counter_drift() == {}


def test_undoing_a_split_puts_the_posts_back(board):
    thread = factories.make_thread(author=board.author, node=board.forum, replies=4)
    ids = list(thread.posts.filter(position__in=[1, 3]).values_list("pk", flat=True))
    structure.split_posts(
        actor=board.admin, post_ids=ids, title="Side", node=board.forum
    )
    entry = ModeratorLog.objects.get(action="split_posts")

    undo_entry(actor=board.admin, entry=entry)

    assert set(Post.objects.filter(pk__in=ids).values_list("thread_id", flat=True)) == {
        thread.pk
    }
    assert list(
        thread.posts.order_by("position").values_list("position", flat=True)
    ) == [0, 1, 2, 3, 4]
    assert counter_drift() == {}


def test_undoing_a_post_move_puts_the_posts_back(board):
    target = factories.make_thread(author=board.other, node=board.other_forum)
    moved = board.thread.posts.get(position=2)
    structure.move_posts(actor=board.admin, post_ids=[moved.pk], target=target)

    undo_entry(actor=board.admin, entry=ModeratorLog.objects.get(action="move_posts"))

    moved.refresh_from_db()
    assert moved.thread_id == board.thread.pk
    assert counter_drift() == {}


def test_an_action_is_undone_once(board):
    entry = content.set_locked(actor=board.admin, thread=board.thread, locked=True)
    undo_entry(actor=board.admin, entry=entry)

    with pytest.raises(ModerationRefused):
        undo_entry(actor=board.admin, entry=entry)


def test_a_merge_cannot_be_undone(board):
    source = factories.make_thread(author=board.other, node=board.forum)
    structure.merge_threads(actor=board.admin, source=source, target=board.thread)

    with pytest.raises(ModerationRefused):
        undo_entry(actor=board.admin, entry=ModeratorLog.objects.get())


def test_the_log_page_shows_a_forums_moderators_only_their_forums_entries(
    board, client
):
    content.set_locked(actor=board.admin, thread=board.thread, locked=True)
    navy = factories.make_thread(
        author=board.other, node=board.other_forum, title="Sub"
    )
    content.set_sticky(actor=board.admin, thread=navy, sticky=True)

    client.force_login(board.mod_other)
    page = client.get(reverse("moderation:log")).content.decode()

    assert "Sub" in page and "Stuck thread" in page
    assert "Locked thread" not in page


def test_undo_on_the_log_page_is_a_form_that_works(board, client):
    entry = content.set_locked(actor=board.admin, thread=board.thread, locked=True)
    client.force_login(board.mod_here)
    page = client.get(reverse("moderation:log")).content.decode()
    assert reverse("moderation:undo", args=[entry.pk]) in page

    client.post(reverse("moderation:undo", args=[entry.pk]))

    assert not Thread.objects.get(pk=board.thread.pk).is_locked


def test_the_admin_lists_the_log_and_undoes_from_it(board, client):
    entry = content.set_sticky(actor=board.admin, thread=board.thread, sticky=True)
    root = factories.MemberFactory(username="Root", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert (
        client.get(reverse("admin:moderation_moderatorlog_changelist")).status_code
        == 200
    )

    client.post(
        reverse("admin:moderation_moderatorlog_changelist"),
        {"action": "undo_entries", "_selected_action": [entry.pk]},
    )

    assert not Thread.objects.get(pk=board.thread.pk).is_sticky
