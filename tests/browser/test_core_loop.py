"""The forum's core loop in real Chromium: read, log in, start a thread, quote."""

import re

from playwright.sync_api import expect

from forum.devtools.demo import load_demo
from forum.posts import services
from tests import factories
from tests.browser.conftest import log_in
from tests.core.test_markup_xss import XSS_CORPUS


def test_member_starts_thread_and_replies_quoting_the_first_post(page):
    load_demo(log=lambda *_: None)
    page.goto("/")
    page.get_by_role("link", name="Pakistan Defence").first.click()
    expect(page.get_by_role("heading", name="Pakistan Defence")).to_be_visible()

    log_in(page, "Saleem", "demo")
    page.goto("/")
    page.get_by_role("link", name="Pakistan Defence").first.click()
    page.get_by_role("link", name="Post thread").click()
    page.get_by_label("Title").fill("Gwadar port expansion: phase two")
    page.get_by_label("Message").fill("Phase two adds four new berths, per reports.")
    page.get_by_role("button", name="Post thread").click()
    expect(page.get_by_role("heading", name="Gwadar port expansion")).to_be_visible()
    first = page.locator("article.message").first
    first_id = first.get_attribute("data-post-id")

    first.get_by_role("link", name="Quote").click()  # JS puts the quote in the box
    editor = page.locator(".reply-box textarea")
    expect(editor).to_have_value(
        re.compile(r'\[QUOTE="Saleem, post: \d+, member: \d+"\]')
    )
    editor.press("End")
    editor.type("\nFour berths is more than the first phase delivered.")
    page.get_by_role("button", name="Post reply").click()

    reply = page.locator("article.message").last
    quote = reply.locator("blockquote.bb-quote")
    expect(quote).to_contain_text("Phase two adds four new berths")
    link = quote.get_by_role("link", name="Saleem said:")
    expect(link).to_have_attribute("href", f"/posts/{first_id}/")
    link.click()
    expect(page).to_have_url(re.compile(rf"#post-{first_id}$"))


def test_xss_corpus_runs_no_script_on_a_thread_page(page, django_db_blocker):
    author = factories.MemberFactory(username="Mallory")
    node = factories.ForumFactory(title="Sandbox")
    thread = factories.make_thread(author=author, node=node, title="Corpus")
    for body in XSS_CORPUS[:19]:  # one page of replies...
        services.reply_to_thread(
            author=author, thread=thread, body=body, enforce_limits=False
        )
    # ...and the rest concatenated into posts on the next pages.
    rest = XSS_CORPUS[19:]
    for start in range(0, len(rest), 10):
        services.reply_to_thread(
            author=author,
            thread=thread,
            body="\n".join(rest[start : start + 10]),
            enforce_limits=False,
        )
    thread.refresh_from_db()
    fired = []
    page.on("dialog", lambda dialog: (fired.append(dialog.message), dialog.dismiss()))
    page.add_init_script(
        "window.__xss = [];"
        "for (const name of ['alert', 'confirm', 'prompt']) {"
        "  window[name] = (...args) => { window.__xss.push(name + ':' + args); };"
        "}"
    )
    for number in range(1, thread.page_count + 1):
        page.goto(thread.get_absolute_url(number))
        page.wait_for_load_state("load")
        # Hover and click over every rendered link/image to trigger event handlers.
        for element in page.locator(".message__body a, .message__body img").all()[:40]:
            element.hover(timeout=2000, force=True)
        assert page.evaluate("window.__xss") == [], f"script ran on page {number}"
        assert page.locator(".message__body script").count() == 0
        assert (
            page.locator(".message__body [onerror], .message__body [onload]").count()
            == 0
        )
    assert fired == []
