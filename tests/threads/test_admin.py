"""Moderating from the Django admin: list, search, and actions that keep counters
exact and land in the moderator log."""

import pytest
from django.urls import reverse

from forum.moderation.models import ModeratorLog
from forum.posts.recount import counter_drift
from tests import factories


@pytest.fixture
def admin_client(client, db):
    admin = factories.MemberFactory(
        username="Boss", is_staff=True, is_superuser=True, password="pw"
    )
    client.force_login(admin)
    return client


def act(client, model: str, action: str, pks, **extra):
    url = reverse(f"admin:{model.replace('.', '_')}_changelist")
    return client.post(
        url, {"action": action, "_selected_action": [str(pk) for pk in pks], **extra}
    )


def test_thread_list_searches_and_filters(admin_client, forum_node, member):
    factories.make_thread(author=member, node=forum_node, title="Gwadar berths")
    factories.make_thread(author=member, node=forum_node, title="Budget week")
    url = reverse("admin:threads_thread_changelist")
    html = admin_client.get(url, {"q": "Gwadar"}).content.decode()
    assert "Gwadar berths" in html and "Budget week" not in html
    assert admin_client.get(url, {"is_locked__exact": "1"}).status_code == 200


def test_lock_and_stick_actions_change_the_thread_and_are_logged(admin_client, thread):
    act(admin_client, "threads.thread", "set_locked_True", [thread.pk])
    act(admin_client, "threads.thread", "set_sticky_True", [thread.pk])
    thread.refresh_from_db()
    assert thread.is_locked and thread.is_sticky
    assert ModeratorLog.objects.filter(target_id=thread.pk).count() == 2

    act(admin_client, "threads.thread", "set_locked_False", [thread.pk])
    thread.refresh_from_db()
    assert not thread.is_locked


def test_move_action_asks_for_a_forum_then_moves_with_counts(
    admin_client, thread, forum_node
):
    target = factories.ForumFactory(title="Pakistan Affairs")
    page = act(admin_client, "threads.thread", "move_threads", [thread.pk])
    assert "Pakistan Affairs" in page.content.decode()

    act(
        admin_client,
        "threads.thread",
        "move_threads",
        [thread.pk],
        target_node=str(target.pk),
    )
    thread.refresh_from_db()
    target.refresh_from_db()
    forum_node.refresh_from_db()
    assert thread.node == target
    assert (target.thread_count, forum_node.thread_count) == (1, 0)
    assert counter_drift() == {}


def test_soft_delete_and_restore_threads_and_posts_keep_counters_exact(
    admin_client, forum_node, member, other_member
):
    thread = factories.make_thread(
        author=member, node=forum_node, replies=2, repliers=[other_member]
    )
    reply = thread.posts.get(position=1)

    act(admin_client, "posts.post", "delete_posts", [reply.pk])
    reply.refresh_from_db()
    assert reply.is_deleted
    act(admin_client, "threads.thread", "delete_thread_all", [thread.pk])
    thread.refresh_from_db()
    assert thread.is_deleted
    assert counter_drift() == {}

    act(admin_client, "threads.thread", "restore_thread_all", [thread.pk])
    act(admin_client, "posts.post", "restore_posts", [reply.pk])
    thread.refresh_from_db()
    assert not thread.is_deleted and thread.reply_count == 2
    assert counter_drift() == {}


def test_admin_cannot_hard_delete_threads_or_posts(admin_client, thread):
    url = reverse("admin:threads_thread_delete", args=[thread.pk])
    assert admin_client.get(url).status_code == 403
