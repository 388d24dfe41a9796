"""A moderator who changes the prefix or the tags of someone else's thread (on
the edit form of its first post) leaves an entry in the moderator log, with what
the labels were and what they became, written in the same transaction; undo from
the log gives the old labels back."""

import pytest
from django.urls import reverse

from forum.moderation.models import ModeratorLog
from forum.moderation.services.structure import ModerationRefused
from forum.moderation.services.undo import undo_entry
from forum.posts.recount import counter_drift
from forum.threads import prefixes, tagging
from forum.threads.models import Prefix, Tag
from tests.moderation.test_log_atomic import LogDown


@pytest.fixture
def labelled(board):
    """The author's thread "Tanks" carries the prefix "Analysis" and the tags
    Armour and Budget; "Breaking" is another prefix of the forum."""
    analysis = Prefix.objects.create(label="Analysis", colour=Prefix.Colour.BLUE)
    breaking = Prefix.objects.create(label="Breaking", colour=Prefix.Colour.RED)
    for prefix in (analysis, breaking):
        prefix.forums.add(board.forum)
    prefixes.forget_local()
    thread = board.thread
    thread.prefix_id = analysis.pk
    thread.save(update_fields=["prefix"])
    tagging.set_thread_tags(thread=thread, names=["Armour", "Budget"], by=board.author)
    return analysis, breaking


def _edit(client, board, **fields):
    first = board.thread.posts.get(position=0)
    data = {"title": board.thread.title, "body": first.body} | fields
    return client.post(reverse("posts:edit", args=[first.pk]), data)


def _labels(board):
    board.thread.refresh_from_db()
    return board.thread.prefix_id, [name for _key, name in board.thread.tag_list]


def test_a_moderator_changing_someone_elses_labels_is_logged_with_before_and_after(
    board, client, labelled
):
    analysis, breaking = labelled
    client.force_login(board.mod_here)

    _edit(client, board, prefix=breaking.pk, tags="Armour, Logistics")

    assert _labels(board) == (breaking.pk, ["Armour", "Logistics"])
    entry = ModeratorLog.objects.get()  # the body did not change: no edit entry
    assert entry.action == "label_thread"
    assert entry.actor == board.mod_here and entry.subject == board.author
    assert (entry.target_type, entry.target_id) == ("thread", board.thread.pk)
    assert entry.node_id == board.forum.pk
    assert entry.before == {
        "prefix_id": analysis.pk,
        "prefix": "Analysis",
        "tags": ["Armour", "Budget"],
    }
    assert entry.after == {
        "prefix_id": breaking.pk,
        "prefix": "Breaking",
        "tags": ["Armour", "Logistics"],
    }
    log = client.get(reverse("moderation:log")).content.decode()
    assert "Changed thread prefix or tags" in log
    assert (
        "Prefix: Analysis → Breaking; Tags: Armour, Budget → Armour, Logistics" in log
    )


def test_an_edit_of_body_and_labels_logs_both(board, client, labelled):
    client.force_login(board.mod_here)
    _edit(client, board, body="Moderated opening.", prefix="", tags="")
    actions = set(ModeratorLog.objects.values_list("action", flat=True))
    assert actions == {"edit_post", "label_thread"}
    entry = ModeratorLog.objects.get(action="label_thread")
    assert (entry.after["prefix"], entry.after["tags"]) == ("", [])
    log = client.get(reverse("moderation:log")).content.decode()
    assert "Prefix: Analysis → none; Tags: Armour, Budget → none" in log


def test_a_moderator_leaving_the_labels_alone_logs_no_label_change(
    board, client, labelled
):
    analysis, _breaking = labelled
    client.force_login(board.mod_here)
    _edit(client, board, body="Tidied.", prefix=analysis.pk, tags="budget, ARMOUR")
    assert list(ModeratorLog.objects.values_list("action", flat=True)) == ["edit_post"]


def test_the_author_changing_their_own_labels_is_not_a_moderator_action(
    board, client, labelled
):
    _analysis, breaking = labelled
    client.force_login(board.author)
    _edit(client, board, prefix=breaking.pk, tags="Armour")
    assert _labels(board) == (breaking.pk, ["Armour"])
    assert not ModeratorLog.objects.exists()


def test_a_failed_log_write_leaves_the_labels_as_they_were(
    board, client, labelled, monkeypatch
):
    analysis, breaking = labelled
    client.force_login(board.mod_here)

    def refuse(*args, **kwargs):
        raise LogDown("the log table is unavailable")

    monkeypatch.setattr(ModeratorLog.objects, "create", refuse)
    with pytest.raises(LogDown):
        _edit(client, board, prefix=breaking.pk, tags="Logistics")

    assert _labels(board) == (analysis.pk, ["Armour", "Budget"])
    assert Tag.objects.get(key="budget").thread_count == 1
    assert not Tag.objects.filter(key="logistics", thread_count__gt=0).exists()


def test_undo_from_the_log_gives_the_old_labels_back(board, client, labelled):
    analysis, breaking = labelled
    client.force_login(board.mod_here)
    _edit(client, board, prefix=breaking.pk, tags="Logistics")
    entry = ModeratorLog.objects.get()

    response = client.post(reverse("moderation:undo", args=[entry.pk]))

    assert response.status_code == 302
    assert _labels(board) == (analysis.pk, ["Armour", "Budget"])
    assert Tag.objects.get(key="logistics").thread_count == 0
    assert Tag.objects.get(key="budget").thread_count == 1
    assert counter_drift() == {}
    entry.refresh_from_db()
    assert entry.undone_by == board.mod_here
    inverse = ModeratorLog.objects.get(undo_of=entry)
    assert inverse.action == "label_thread"
    assert inverse.after["tags"] == ["Armour", "Budget"]


def test_undo_is_refused_when_the_old_prefix_is_gone(board, client, labelled):
    analysis, breaking = labelled
    client.force_login(board.mod_here)
    _edit(client, board, prefix=breaking.pk, tags="Armour, Budget")
    entry = ModeratorLog.objects.get()
    analysis.delete()
    with pytest.raises(ModerationRefused, match="The prefix it had no longer exists."):
        undo_entry(actor=board.mod_here, entry=entry)
