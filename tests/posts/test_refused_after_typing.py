"""A reply refused after the member typed it keeps the text and says why."""

import pytest

from forum.posts.models import Post
from forum.threads.services import lock_thread
from tests import factories
from tests.core.keptpages import in_layout, kept_form, page_text, soup, textarea_text

TYPED = "A long answer, typed while a moderator locked the thread."


@pytest.fixture(autouse=True)
def no_flood_wait(settings):
    settings.FORUM_FLOOD_SECONDS = 0
    settings.FORUM_FLOOD_SECONDS_NEW_MEMBER = 0


def test_a_reply_to_a_thread_locked_while_typing_keeps_the_text(member_client, thread):
    lock_thread(thread=thread, locked=True)

    response = member_client.post(thread.get_reply_url(), {"body": TYPED})

    assert response.status_code == 403
    assert in_layout(response)
    assert "This thread is locked: no more replies can be posted." in (
        page_text(response)
    )
    assert textarea_text(soup(response).select_one("textarea[readonly]")) == TYPED
    assert Post.objects.filter(thread=thread).count() == 1


def test_the_reply_page_of_a_locked_thread_still_sends_back_to_the_thread(
    member_client, thread
):
    lock_thread(thread=thread, locked=True)

    response = member_client.get(thread.get_reply_url())

    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()


def test_a_reply_to_a_thread_merged_while_typing_can_go_to_the_survivor(
    member_client, member, thread, forum_node, staff
):
    from forum.moderation.services.structure import merge_threads

    survivor = factories.make_thread(author=staff, node=forum_node, title="Kept")
    merge_threads(actor=staff, source=thread, target=survivor)

    response = member_client.post(thread.get_reply_url(), {"body": TYPED})

    assert response.status_code == 404
    assert "merged this thread into another one" in page_text(response)
    action, data = kept_form(response)
    assert action == survivor.get_reply_url()
    assert data["body"] == TYPED
    assert member_client.post(action, data).status_code == 302
    assert Post.objects.filter(thread=survivor, author=member, body=TYPED).exists()


def test_the_old_address_of_a_merged_thread_still_redirects(
    member_client, thread, forum_node, staff
):
    from forum.moderation.services.structure import merge_threads

    survivor = factories.make_thread(author=staff, node=forum_node, title="Kept")
    merge_threads(actor=staff, source=thread, target=survivor)

    response = member_client.get(thread.get_absolute_url())

    assert response.status_code == 301
    assert response["Location"] == survivor.get_absolute_url()
