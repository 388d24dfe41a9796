"""A moderator's change to someone else's post and its log entry commit together:
if the entry cannot be written, the change is not made either."""

import pytest
from django.urls import reverse

from forum.moderation.models import ModeratorLog
from forum.posts.models import Post, PostEdit


class LogDown(Exception):
    pass


@pytest.fixture
def broken_log(monkeypatch):
    def refuse(*args, **kwargs):
        raise LogDown("the log table is unavailable")

    monkeypatch.setattr(ModeratorLog.objects, "create", refuse)


def _post(board):
    return Post.objects.get(thread=board.thread, position=1)


def test_a_failed_log_write_rolls_back_a_moderators_edit(board, client, broken_log):
    post = _post(board)
    client.force_login(board.mod_here)

    with pytest.raises(LogDown):
        client.post(reverse("posts:edit", args=[post.pk]), {"body": "Rewritten."})

    post.refresh_from_db()
    assert post.body != "Rewritten."
    assert not PostEdit.objects.filter(post=post).exists()


def test_a_failed_log_write_rolls_back_a_moderators_delete(board, client, broken_log):
    post = _post(board)
    client.force_login(board.mod_here)

    with pytest.raises(LogDown):
        client.post(reverse("posts:delete", args=[post.pk]), {"reason": "Spam"})

    post.refresh_from_db()
    assert not post.is_deleted
    board.thread.refresh_from_db()
    assert board.thread.reply_count == 2


def test_a_moderators_edit_is_logged_with_what_changed(board, client):
    post = _post(board)
    client.force_login(board.mod_here)

    client.post(reverse("posts:edit", args=[post.pk]), {"body": "Rewritten."})

    entry = ModeratorLog.objects.get()
    assert (entry.action, entry.target_id, entry.actor) == (
        ModeratorLog.Action.EDIT_POST,
        post.pk,
        board.mod_here,
    )


def test_a_member_editing_their_own_post_is_not_a_moderator_action(board, client):
    post = _post(board)
    client.force_login(post.author)

    client.post(reverse("posts:edit", args=[post.pk]), {"body": "My own words."})

    post.refresh_from_db()
    assert post.body == "My own words."
    assert not ModeratorLog.objects.exists()
