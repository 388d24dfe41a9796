"""Per-forum permissions with inheritance, private forums, moderators per forum,
and the permission table read once: no query per row on the busiest pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.policy import (
    can_moderate,
    can_reply,
    can_start_thread,
    can_view_node,
    visible_node_ids,
)
from forum.policy import snapshot as policy
from tests import factories
from tests.moderation.conftest import make_moderator, make_private, set_permissions


def test_a_forum_without_a_row_inherits_its_parents_rights(board):
    sub = factories.ForumFactory(title="Armour", parent=board.forum)
    set_permissions(board.forum, "member", can_start_threads=False)

    assert not can_start_thread(board.author, sub)
    assert can_start_thread(board.author, board.other_forum)


def test_a_childs_own_row_overrides_its_parent(board):
    sub = factories.ForumFactory(title="Armour", parent=board.forum)
    set_permissions(board.forum, "member", can_reply=False)
    set_permissions(sub, "member", can_reply=True)
    thread = factories.make_thread(author=board.other, node=sub)

    assert can_reply(board.author, thread)
    assert not can_reply(board.author, board.thread)


def test_a_private_category_hides_its_forums_threads_and_posts(board, client):
    make_private(board.category)
    client.force_login(board.author)
    post = board.thread.posts.get(position=1)

    assert client.get(board.forum.get_absolute_url()).status_code == 404
    assert client.get(board.thread.get_absolute_url()).status_code == 404
    assert client.get(reverse("posts:post", args=[post.pk])).status_code == 404
    assert b"Army" not in client.get("/").content
    assert board.forum.pk not in visible_node_ids(board.author)


def test_moderators_and_staff_see_a_private_forum(board, client):
    make_private(board.forum)

    assert can_view_node(board.mod_here, board.forum)
    assert can_view_node(board.admin, board.forum)
    assert not can_view_node(board.mod_other, board.forum)
    assert board.forum.pk in visible_node_ids(board.mod_here)


def test_a_forum_can_be_for_members_only(board, client):
    set_permissions(board.forum, "guest", can_view=False)

    assert client.get(board.thread.get_absolute_url()).status_code == 404
    client.force_login(board.other)
    assert client.get(board.thread.get_absolute_url()).status_code == 200


def test_unverified_members_can_be_kept_out_of_a_forum(board, client):
    set_permissions(board.forum, "unverified", can_view=False)
    client.force_login(board.unverified)

    assert client.get(board.thread.get_absolute_url()).status_code == 404
    assert can_view_node(board.author, board.forum)


def test_a_moderator_moderates_the_sub_forums_of_their_forum(board):
    sub = factories.ForumFactory(title="Armour", parent=board.forum)

    assert can_moderate(board.mod_here, sub)
    assert not can_moderate(board.mod_here, board.other_forum)


def test_a_global_moderator_moderates_every_forum(board):
    anywhere = make_moderator(factories.MemberFactory(username="Global"))

    assert can_moderate(anywhere, board.forum)
    assert can_moderate(anywhere, board.other_forum)


def test_a_forum_made_after_the_table_was_read_is_still_private_by_inheritance(
    board,
):
    make_private(board.category)
    assert not can_view_node(board.author, board.forum)  # the table is now loaded
    deep = factories.ForumFactory(title="Deep", parent=board.forum)
    deeper = factories.ForumFactory(title="Deeper", parent=deep)

    assert not can_view_node(board.author, deeper)


def test_saving_a_permission_in_the_admin_takes_effect_at_once(board, client):
    admin = factories.MemberFactory(username="Root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert can_view_node(board.author, board.forum)

    response = client.post(
        reverse("admin:moderation_forumpermission_add"),
        {"node": board.forum.pk, "role": "member", "can_view": ""},
    )

    assert response.status_code == 302
    assert not can_view_node(board.author, board.forum)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["member", "mod_this_forum", "admin"])
def test_permission_checks_add_no_query_per_post_or_thread(board, client, who):
    make_private(board.other_forum)  # some rows in the table
    client.force_login(board.user(who))
    few = factories.make_thread(author=board.other, node=board.forum, replies=1)
    many = factories.make_thread(
        author=board.other,
        node=board.forum,
        replies=19,
        repliers=[factories.MemberFactory() for _ in range(5)],
    )
    client.get(board.thread.get_absolute_url())  # warm the caches

    assert _queries(client, many.get_absolute_url()) == _queries(
        client, few.get_absolute_url()
    )


def test_the_permission_table_is_not_read_again_within_a_request(board):
    policy.forget_local()
    with CaptureQueriesContext(connection) as first:
        can_view_node(board.author, board.forum)
    with CaptureQueriesContext(connection) as again:
        for _ in range(50):
            can_view_node(board.author, board.forum)
            can_moderate(board.author, board.forum)

    assert len(first) > 0
    assert len(again) == 0


def test_a_refused_action_is_a_403_page_with_the_reason(board, client):
    client.force_login(board.other)

    response = client.post(
        reverse("moderation:thread_action", args=[board.thread.pk, "lock"])
    )

    assert response.status_code == 403
    assert b"Only moderators of this forum may do that." in response.content
    assert b'class="site-header"' in response.content  # the forum's layout


def test_a_forum_can_turn_reactions_off_for_members(board, client):
    set_permissions(board.forum, "member", can_react=False)
    post = board.thread.posts.get(position=1)
    like = factories.default_reaction_types()["Like"]
    client.force_login(board.other)

    client.post(reverse("posts:react", args=[post.pk]), {"reaction": like.pk})

    assert not post.reactions.exists()


def test_making_someone_a_moderator_in_the_admin_takes_effect_at_once(board, client):
    root = factories.MemberFactory(username="Root", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert not can_moderate(board.other, board.forum)

    client.post(
        reverse("admin:moderation_moderator_add"),
        {"user": board.other.pk, "node": board.forum.pk},
    )

    assert can_moderate(board.other, board.forum)


def test_a_members_profile_does_not_show_their_posts_in_a_private_forum(board, client):
    post = board.thread.posts.order_by("position").first()
    profile = post.author.get_absolute_url()
    snippet = post.body[:30]
    assert snippet in client.get(profile).content.decode()

    make_private(board.forum)

    client.force_login(board.other)
    assert snippet not in client.get(profile).content.decode()
