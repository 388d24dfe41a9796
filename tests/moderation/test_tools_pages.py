"""The moderator tools as a moderator meets them on the pages: check boxes and an
action bar under the posts and the threads, plain forms that work without
JavaScript."""

import re

from django.urls import reverse

from forum.moderation.services import structure
from forum.posts.models import Post
from forum.posts.recount import counter_drift
from forum.threads.models import Thread
from tests import factories


def test_moderators_get_check_boxes_and_the_action_bar_members_do_not(board, client):
    client.force_login(board.other)
    member_page = client.get(board.thread.get_absolute_url()).content.decode()
    client.force_login(board.mod_here)
    mod_page = client.get(board.thread.get_absolute_url()).content.decode()

    assert 'form="inline-posts"' not in member_page
    assert "Moderator tools" not in member_page
    assert mod_page.count('name="post_ids"') == 3
    assert 'id="inline-posts"' in mod_page
    assert reverse("moderation:move_thread", args=[board.thread.pk]) in mod_page


def test_the_forum_page_has_a_box_per_thread_for_its_moderators(board, client):
    factories.make_thread(author=board.other, node=board.forum)
    client.force_login(board.mod_here)

    page = client.get(board.forum.get_absolute_url()).content.decode()

    assert page.count('name="thread_ids"') == 2
    assert 'id="inline-threads"' in page
    client.force_login(board.mod_other)
    assert (
        'name="thread_ids"'
        not in client.get(board.forum.get_absolute_url()).content.decode()
    )


def test_inline_merge_asks_which_thread_to_keep_then_merges(board, client):
    other = factories.make_thread(author=board.other, node=board.forum, replies=1)
    client.force_login(board.mod_here)
    ids = [board.thread.pk, other.pk]

    confirm = client.post(
        reverse("moderation:inline_threads"), {"action": "merge", "thread_ids": ids}
    )
    assert confirm.status_code == 200
    assert b"Keep this thread" in confirm.content
    done = client.post(
        reverse("moderation:inline_threads"),
        {"action": "merge", "thread_ids": ids, "confirm": "1", "target": other.pk},
    )

    assert done["Location"] == other.get_absolute_url()
    assert not Thread.objects.filter(pk=board.thread.pk).exists()
    assert Post.objects.filter(thread=other).count() == 5
    assert counter_drift() == {}


def test_inline_split_asks_for_a_title_then_makes_the_thread(board, client):
    client.force_login(board.mod_here)
    ids = list(board.thread.posts.exclude(position=0).values_list("pk", flat=True))
    url = reverse("moderation:inline_posts", args=[board.thread.pk])

    confirm = client.post(url, {"action": "split", "post_ids": ids})
    assert b"Title of the new thread" in confirm.content
    done = client.post(
        url,
        {
            "action": "split",
            "post_ids": ids,
            "confirm": "1",
            "title": "Replies, split",
            "node": board.other_forum.pk,
        },
    )

    new = Thread.objects.get(title="Replies, split")
    assert done["Location"] == new.get_absolute_url()
    assert new.node == board.other_forum
    assert counter_drift() == {}


def test_inline_delete_of_several_posts_is_one_request(board, client):
    extra = factories.reply(author=board.other, thread=board.thread)
    ids = [board.thread.posts.get(position=1).pk, extra.pk]
    client.force_login(board.mod_here)

    client.post(
        reverse("moderation:inline_posts", args=[board.thread.pk]),
        {"action": "delete", "post_ids": ids, "reason": "Derail", "confirm": "1"},
    )

    deleted = Post.objects.filter(pk__in=ids, is_deleted=True, delete_reason="Derail")
    assert deleted.count() == 2
    assert counter_drift() == {}


def test_the_deletion_reason_is_shown_to_moderators_only(board, client):
    post = board.thread.posts.get(position=1)
    client.force_login(board.mod_here)
    client.post(
        reverse("moderation:post_action", args=[post.pk, "delete"]),
        {"reason": "Personal attack", "confirm": "1"},
    )

    assert b"Personal attack" in client.get(board.thread.get_absolute_url()).content
    client.force_login(board.other)
    assert b"Personal attack" not in client.get(board.thread.get_absolute_url()).content


def test_a_merged_threads_address_leads_to_the_thread_it_joined(
    board, client, moderation_middleware
):
    source = factories.make_thread(author=board.other, node=board.forum, title="Dup")
    old_url = source.get_absolute_url()
    structure.merge_threads(actor=board.admin, source=source, target=board.thread)

    response = client.get(old_url)

    assert response.status_code == 301
    assert response["Location"] == board.thread.get_absolute_url()


def test_merge_by_address_from_the_thread_page(board, client):
    target = factories.make_thread(author=board.other, node=board.forum, title="Main")
    client.force_login(board.mod_here)

    response = client.post(
        reverse("moderation:merge_thread", args=[board.thread.pk]),
        {"target": "http://testserver" + target.get_absolute_url() + "page-1"},
    )

    assert response["Location"] == target.get_absolute_url()
    assert Post.objects.filter(thread=target).count() == 4


def test_move_thread_form_lists_only_forums(board, client):
    client.force_login(board.mod_here)

    page = client.get(reverse("moderation:move_thread", args=[board.thread.pk]))

    options = re.findall(r'<option value="(\d+)"', page.content.decode())
    assert str(board.category.pk) not in options
    assert str(board.other_forum.pk) in options


def test_split_thread_title_keeps_only_a_few_marks_per_letter(board, client):
    client.force_login(board.mod_here)
    ids = list(board.thread.posts.exclude(position=0).values_list("pk", flat=True))
    url = reverse("moderation:inline_posts", args=[board.thread.pk])

    client.post(
        url,
        {
            "action": "split",
            "post_ids": ids,
            "confirm": "1",
            "title": "Split" + "\u0301" * 50,
            "node": board.other_forum.pk,
        },
    )

    assert Thread.objects.filter(title="Split\u0301\u0301\u0301\u0301").exists()
