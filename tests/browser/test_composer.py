"""The composer in real Chromium: toolbar and shortcuts, preview with and without
JavaScript, a draft that survives a reload and a second browser, a picture
pasted into a reply (stored re-encoded, shown with srcset to guests, refused to
a viewer who may not see the forum), and a poll voted in by fifty members at
once, then closed."""

import base64
import io
import re

import pytest
from django.core.files.storage import default_storage
from PIL import Image
from playwright.sync_api import expect

from forum.posts.models import Attachment, Poll, Post
from forum.posts.polls import services as polls
from tests import factories
from tests.browser.conftest import log_in
from tests.composer.helpers import photo
from tests.moderation.conftest import set_permissions
from tests.posts.test_reactions_concurrency import run_in_parallel


@pytest.fixture
def contexts(browser, live_server):
    """More browsers (a second device, a guest, one without JavaScript),
    closed after the test whatever happens."""
    opened = []

    def make(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


def _board():
    writer = factories.MemberFactory(username="Windjammer", password="demo")
    type(writer).objects.filter(pk=writer.pk).update(message_count=50)
    node = factories.ForumFactory(title="Pakistan Defence")
    thread = factories.make_thread(
        author=factories.MemberFactory(username="Saleem"), node=node, title="Talks"
    )
    return writer, node, thread


def _reply_box(page):
    return page.locator(".reply-box textarea[name=body]")


def test_the_toolbar_and_shortcuts_wrap_the_selection(page, media_root):
    writer, node, thread = _board()
    log_in(page, "Windjammer", "demo")
    page.goto(thread.get_absolute_url())
    box = _reply_box(page)
    box.fill("strong words")
    box.evaluate("el => el.setSelectionRange(0, 6)")
    page.locator(".reply-box .composer__tool[title^=Bold]").click()
    expect(box).to_have_value("[B]strong[/B] words")

    box.evaluate("el => el.setSelectionRange(el.value.length - 5, el.value.length)")
    box.press("Control+i")
    expect(box).to_have_value("[B]strong[/B] [I]words[/I]")
    page.locator(".reply-box .composer__tool", has_text="List").click()
    assert "[LIST]\n[*]" in box.input_value()


def test_preview_in_place_with_javascript(page, media_root):
    writer, node, thread = _board()
    log_in(page, "Windjammer", "demo")
    page.goto(thread.get_absolute_url())
    _reply_box(page).fill("[B]Loud[/B] and [SPOILER]hidden[/SPOILER]")
    page.locator(".reply-box .js-preview").click()
    preview = page.locator(".reply-box .preview")
    expect(preview).to_be_visible()
    expect(preview.locator("strong")).to_have_text("Loud")
    assert not Post.objects.filter(thread=thread, position=1).exists()


def test_preview_without_javascript_re_shows_the_form(
    contexts, transactional_db, media_root
):
    writer, node, thread = _board()
    page = contexts(java_script_enabled=False).new_page()
    log_in(page, "Windjammer", "demo")
    page.goto(thread.get_reply_url())
    page.locator("textarea[name=body]").fill("[I]Slanted[/I] view")
    page.locator("button[name=preview]").click()
    expect(page.locator(".preview em")).to_have_text("Slanted")
    expect(page.locator("textarea[name=body]")).to_have_value("[I]Slanted[/I] view")


def test_a_draft_survives_a_reload_and_a_second_browser(page, contexts, media_root):
    writer, node, thread = _board()
    log_in(page, "Windjammer", "demo")
    page.goto(thread.get_absolute_url())
    _reply_box(page).fill("A reply I am still writing")
    expect(page.locator(".reply-box .composer__status")).to_have_text(
        "Draft saved", timeout=10_000
    )

    page.reload()
    expect(_reply_box(page)).to_have_value("A reply I am still writing")

    second = contexts().new_page()
    log_in(second, "Windjammer", "demo")
    second.goto(thread.get_reply_url())
    expect(second.locator("textarea[name=body]")).to_have_value(
        "A reply I am still writing"
    )


PASTE = """
async ([data, name]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const file = new File([bytes], name, { type: "image/jpeg" });
  const transfer = new DataTransfer();
  transfer.items.add(file);
  const box = document.querySelector(".reply-box textarea");
  box.focus();
  const options = { clipboardData: transfer, bubbles: true, cancelable: true };
  box.dispatchEvent(new ClipboardEvent("paste", options));
}
"""


def test_a_pasted_picture_is_stored_clean_shown_with_srcset_and_kept_private(
    page, contexts, live_server, media_root
):
    writer, node, thread = _board()
    log_in(page, "Windjammer", "demo")
    page.goto(thread.get_absolute_url())
    _reply_box(page).fill("The site, from above: ")
    encoded = base64.b64encode(photo((1400, 1000))).decode()
    page.evaluate(PASTE, [encoded, "site.jpg"])
    expect(_reply_box(page)).to_have_value(
        re.compile(r"\[ATTACH=\d+\]"), timeout=10_000
    )
    page.locator(".reply-box button.button--primary").click()
    page.wait_for_load_state()

    attachment = Attachment.objects.get()
    assert attachment.post.thread_id == thread.pk
    stored = default_storage.open(attachment.file.name).read()
    assert b"SpyCam" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()

    visitor = contexts().new_page()
    visitor.goto(thread.get_absolute_url())
    picture = visitor.locator(".message__body img").first
    expect(picture).to_have_attribute("srcset", re.compile(r"320w.*1400w"))
    picture.scroll_into_view_if_needed()  # loaded lazily
    visitor.wait_for_function(
        "document.querySelector('.message__body img').naturalWidth > 0"
    )
    url = picture.get_attribute("src")
    assert visitor.request.get(live_server.url + url).status == 200

    set_permissions(node, "guest", can_view=False)
    assert visitor.request.get(live_server.url + url).status == 404


def test_a_poll_is_made_voted_in_by_fifty_members_at_once_and_closed(page, media_root):
    writer, node, _ = _board()
    log_in(page, "Windjammer", "demo")
    page.goto(node.get_post_thread_url())
    page.locator("input[name=title]").fill("Which tank next?")
    page.locator("textarea[name=body]").fill("Vote, please.")
    page.locator(".poll-fields summary").click()
    page.locator("input[name=poll-question]").fill("Which tank?")
    page.locator("textarea[name=poll-options]").fill("Al-Khalid\nT-80UD\nHaider")
    page.locator("select[name=poll-results]").select_option("always")
    page.locator("form.post-form button.button--primary").click()
    expect(page.locator("#poll")).to_contain_text("Which tank?")

    poll = Poll.objects.get()
    options = list(poll.options.all())
    voters = [factories.MemberFactory(username=f"Voter{i:02d}") for i in range(50)]
    jobs = [
        [
            lambda v=v, i=i: polls.vote(
                voter=v, poll=poll, option_ids=[options[i % 3].pk], enforce_limits=False
            )
        ]
        for i, v in enumerate(voters)
    ]
    assert run_in_parallel(jobs) == []

    page.reload()
    expect(page.locator("#poll .poll__meta")).to_contain_text("50 voters")
    expect(page.locator("#poll .poll__result").first).to_contain_text("17 votes")
    page.locator("#poll button", has_text="Close the poll").click()
    expect(page.locator("#poll .poll__meta")).to_contain_text("closed")
    expect(page.locator("#poll form.poll__form")).to_have_count(0)
    poll.refresh_from_db()
    assert poll.is_closed() and poll.voter_count == 50


def test_a_stale_tab_is_offered_keep_mine_or_load_the_other(page, media_root):
    writer, node, thread = _board()
    log_in(page, "Windjammer", "demo")
    page.goto(thread.get_absolute_url())
    stale = page.context.new_page()
    stale.goto(thread.get_absolute_url())  # opened before the first save

    _reply_box(page).fill("Written on the first tab")
    _reply_box(page).blur()
    expect(page.locator(".reply-box .composer__status")).to_have_text("Draft saved")
    _reply_box(stale).fill("Written on the second tab")
    _reply_box(stale).blur()

    conflict = stale.locator(".reply-box .composer__conflict")
    expect(conflict).to_be_visible()
    conflict.locator(".js-load-other").click()
    expect(_reply_box(stale)).to_have_value("Written on the first tab")
    _reply_box(stale).fill("Mine after all")
    _reply_box(stale).blur()
    expect(stale.locator(".reply-box .composer__status")).to_have_text("Draft saved")

    page.reload()
    expect(_reply_box(page)).to_have_value("Mine after all")
