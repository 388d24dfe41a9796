"""In real Chromium: what a member types survives a stale token and an
over-large form."""

import re
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from forum.posts.models import Post
from tests import factories
from tests.browser.conftest import log_in

TYPED = "I typed this for twenty minutes.\nDo not lose it."


@pytest.fixture
def board(transactional_db):
    author = factories.MemberFactory(username="Writer")
    node = factories.ForumFactory(title="Long reads")
    thread = factories.make_thread(author=author, node=node, title="Patience")
    return author, thread


def _expire_token(page, how: str) -> None:
    cookies = page.context.cookies()
    page.context.clear_cookies(name="csrftoken")
    if how == "changed":  # as logging in again in another tab does
        old = next(c for c in cookies if c["name"] == "csrftoken")
        page.context.add_cookies([{**old, "value": "N" * 32}])


@pytest.mark.parametrize("how", ["deleted", "changed"])
def test_a_reply_sent_with_an_expired_token_comes_back_and_can_be_sent(
    page, board, how
):
    author, thread = board
    log_in(page, "Writer", "demo-password")
    page.goto(thread.get_reply_url())
    page.get_by_label("Message").fill(TYPED)

    _expire_token(page, how)
    page.get_by_role("button", name="Post reply").click()

    expect(page.get_by_role("heading", name="Your form was not sent")).to_be_visible()
    expect(
        page.get_by_text("Your session expired or the page was open")
    ).to_be_visible()
    expect(page.get_by_label("Message")).to_have_value(TYPED)
    page.get_by_role("button", name="Send again").click()

    expect(page).to_have_url(re.compile(r"/threads/patience\.\d+/.*#post-\d+$"))
    expect(page.locator("article.message").last).to_contain_text("Do not lose it.")
    assert Post.objects.filter(thread=thread).count() == 2


def test_an_oversized_reply_comes_back_cut_to_the_limit(page, board, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    author, thread = board
    log_in(page, "Writer", "demo-password")
    page.goto(thread.get_reply_url())
    text = "Start of my essay. " + "word " * 20_000  # about 100 KB

    page.get_by_label("Message").fill(text)
    page.get_by_role("button", name="Post reply").click()

    expect(page.get_by_role("heading", name="Your text is too long")).to_be_visible()
    expect(page.get_by_text("larger than the 64 KB this forum accepts")).to_be_visible()
    kept = page.get_by_label(re.compile("Message")).input_value()
    assert kept.startswith("Start of my essay. word word")
    assert 50_000 < len(kept) < 64 * 1024
    assert Post.objects.filter(thread=thread).count() == 1


def test_seven_megabytes_over_http_get_the_limit_in_words(live_server, board):
    author, thread = board
    body = "My reply. " + "x" * (7 * 1024 * 1024)
    data = urlencode({"body": body}).encode()
    request = urllib.request.Request(
        live_server.url + thread.get_reply_url(),
        data=data,
        headers={"Origin": live_server.url},
        method="POST",
    )

    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=60)

    assert answer.value.code == 413
    html = answer.value.read().decode()
    assert "Your message is larger than the 6 MB this forum accepts" in html
    assert "My reply. xxxx" in html
    assert len(html) < 6.5 * 1024 * 1024  # only the first part came back
