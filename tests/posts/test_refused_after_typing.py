"""A reply refused after the member typed it keeps the text and says why."""

import pytest

from forum.posts.models import Post
from forum.threads.services import lock_thread
from tests.core.keptpages import in_layout, page_text, soup, textarea_text

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
