"""Moderator tools that cannot misfire, and the member's side of moderation:
destructive actions ask first (a page that says what will happen, in counts)
and act only when confirmed; Warn from a post names the post; a member sees the
actions taken on their content (never another member's), appeals each once,
and hears the outcome in an alert. The member's log and the appeals queue
keep their query budgets."""

import pytest
from django.test import Client
from django.urls import reverse

from forum.moderation.models import Appeal, Ban, MemberWarning, ModeratorLog
from forum.moderation.services import appeals, content
from forum.notifications.models import Alert
from forum.posts.models import Post
from forum.threads.models import Thread
from tests.querycount import queries_for


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_deleting_a_thread_asks_first_with_its_post_count(board):
    moderator = _as(board.mod_here)
    url = reverse("moderation:thread_action", args=[board.thread.pk, "delete"])

    asked = moderator.post(url, {"reason": "Duplicate"})

    page = asked.content.decode()
    assert asked.status_code == 200
    assert "Delete the thread “Tanks” and its 3 posts" in page
    assert 'name="confirm" value="1"' in page
    assert 'value="Duplicate"' in page  # the reason comes along
    assert not Thread.objects.get(pk=board.thread.pk).is_deleted

    moderator.post(url, {"reason": "Duplicate", "confirm": "1"})
    assert Thread.objects.get(pk=board.thread.pk).is_deleted


def test_deleting_selected_posts_asks_first_and_nothing_is_chosen_by_default(board):
    moderator = _as(board.mod_here)
    page = moderator.get(board.thread.get_absolute_url()).content.decode()
    assert '<option value="" selected>Choose an action…</option>' in page
    ids = [p.pk for p in board.thread.posts.filter(position__gt=0)]
    url = reverse("moderation:inline_posts", args=[board.thread.pk])

    asked = moderator.post(url, {"action": "delete", "post_ids": ids})

    assert "#2, #3" in asked.content.decode()
    assert not Post.objects.filter(pk__in=ids, is_deleted=True).exists()
    moderator.post(url, {"action": "delete", "post_ids": ids, "confirm": "1"})
    assert Post.objects.filter(pk__in=ids, is_deleted=True).count() == 2


def test_a_ban_and_a_spam_clean_up_ask_first(board):
    moderator = _as(board.admin)  # forum moderators may not ban
    ban = reverse("moderation:ban", args=[board.other.pk])
    asked = moderator.post(ban, {"reason": "Trolling", "days": 7})
    assert "Ban Bystander for 7 days" in asked.content.decode()
    assert not Ban.objects.filter(member=board.other).exists()

    spam = reverse("moderation:spam_clean", args=[board.other.pk])
    asked = moderator.post(spam, {"reason": "Spam"})
    page = asked.content.decode()
    assert "Delete their 1 other post in other threads." in page
    assert not Post.objects.filter(author=board.other, is_deleted=True).exists()


def test_warn_from_a_post_names_the_post_in_the_warning_and_the_logs(board):
    post = board.thread.posts.get(position=1)  # the Author's reply
    moderator = _as(board.mod_here)
    url = reverse("moderation:warn_post", args=[post.pk])
    assert "post #2" in moderator.get(url).content.decode().lower()

    moderator.post(url, {"points": 1, "reason": "Insults", "days": 30})

    warning = MemberWarning.objects.get(member=board.author)
    assert warning.post_id == post.pk
    entry = ModeratorLog.objects.get(action=ModeratorLog.Action.WARN)
    assert entry.subject_id == board.author.pk
    mine = _as(board.author).get(reverse("moderation:my_log")).content.decode()
    assert "Insults" in mine and "Post #2" in mine


def test_a_member_sees_their_own_log_only_and_appeals_each_action_once(board):
    post = board.thread.posts.get(position=1)
    content.delete_post(actor=board.mod_here, post=post, reason="Off topic")
    entry = ModeratorLog.objects.get(subject=board.author)
    author = _as(board.author)

    mine = author.get(reverse("moderation:my_log")).content.decode()
    assert "Off topic" in mine and "ArmyMod" not in mine  # no name by default
    other = _as(board.other).get(reverse("moderation:my_log")).content.decode()
    assert "Off topic" not in other
    assert (
        _as(board.other).get(reverse("moderation:appeal", args=[entry.pk])).status_code
        == 404
    )

    appeal_url = reverse("moderation:appeal", args=[entry.pk])
    author.post(appeal_url, {"text": "It was on topic."})
    assert Appeal.objects.get().text == "It was on topic."
    again = author.get(appeal_url)  # once per action: back to the log
    assert again.url == reverse("moderation:my_log") + f"#entry-{entry.pk}"
    with pytest.raises(appeals.AppealRefused):
        appeals.appeal_action(member=board.author, entry=entry, text="Again")

    appeals.decide_appeal(
        actor=board.mod_here, appeal=Appeal.objects.get(), overturn=True, note="Fair"
    )
    assert not Post.objects.get(pk=post.pk).is_deleted  # overturned: undone
    alert = Alert.objects.get(user=board.author, kind=Alert.Kind.MODERATION)
    assert "was reversed. Fair" in alert.text
    assert alert.url.endswith(f"#entry-{entry.pk}")


def test_the_member_log_and_the_appeals_queue_do_not_grow_with_entries(board):
    posts = list(board.thread.posts.filter(position__gt=0))
    content.delete_post(actor=board.mod_here, post=posts[0], reason="One")
    author, moderator = _as(board.author), _as(board.mod_here)
    author.get(reverse("moderation:my_log"))  # warm
    one_log = queries_for(author, reverse("moderation:my_log"))
    entry = ModeratorLog.objects.filter(subject=board.author).latest("pk")
    appeals.appeal_action(member=board.author, entry=entry, text="Please")
    moderator.get(reverse("moderation:appeals"))
    one_queue = queries_for(moderator, reverse("moderation:appeals"))

    for number, post in enumerate(posts[1:], start=2):
        content.delete_post(actor=board.mod_here, post=post, reason=f"No. {number}")
        entry = ModeratorLog.objects.filter(subject=post.author).latest("pk")
        appeals.appeal_action(member=post.author, entry=entry, text="Please")
    content.restore_post(actor=board.mod_here, post=posts[0])
    content.delete_post(actor=board.mod_here, post=posts[0], reason="Again")

    many_log = queries_for(author, reverse("moderation:my_log"))
    many_queue = queries_for(moderator, reverse("moderation:appeals"))
    assert len(many_log) == len(one_log), "\n".join(many_log)
    assert len(many_queue) == len(one_queue), "\n".join(many_queue)
    # session, member, count, entries, appeals; session, member, moderators, appeals
    assert len(many_log) <= 6, "\n".join(many_log)
    assert len(many_queue) <= 6, "\n".join(many_queue)
