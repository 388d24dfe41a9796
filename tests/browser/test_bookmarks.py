"""Bookmarks, the share menu and similar threads in real Chromium."""

import re

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import log_in


def test_member_bookmarks_a_post_with_a_note_in_place_and_finds_it(page):
    author = factories.MemberFactory(username="Windjammer", password="demo")
    reader = factories.MemberFactory(username="Saleem", password="demo")
    node = factories.ForumFactory(title="Pakistan Defence")
    thread = factories.make_thread(
        author=author, node=node, title="JF-17 radar trials", replies=2
    )
    post_id = thread.first_post_id

    log_in(page, reader.username, "demo")
    page.goto(thread.get_absolute_url())
    page.evaluate("window.__sameDocument = true")
    message = page.locator(f"#post-{post_id}")

    message.get_by_role("button", name="Bookmark").click()
    note = message.locator("textarea[name=note]")
    expect(note).to_be_focused()  # the new bookmark offers its note at once
    note.fill("Radar range figures")
    message.locator("input[name=labels]").fill("Aircraft, Radar")
    message.get_by_role("button", name="Save").click()
    expect(message.locator(".bookmark__status")).to_have_text("Bookmark saved.")
    expect(message.locator(".bookmark__toggle--on")).to_have_text("Bookmarked")
    assert page.evaluate("window.__sameDocument") is True  # no reload happened

    page.goto("/account/bookmarks")
    expect(page.locator(".bookmark-row__note")).to_contain_text("Radar range figures")
    page.get_by_role("link", name="Radar").first.click()
    expect(page).to_have_url(re.compile(r"label=Radar"))
    expect(page.locator(".bookmark-row")).to_have_count(1)
    page.get_by_role("link", name="JF-17 radar trials").click()
    expect(page.locator(f"#post-{post_id}")).to_be_visible()

    # The author sees how many, not who.
    page.context.clear_cookies()
    log_in(page, author.username, "demo")
    page.goto(thread.get_absolute_url())
    expect(page.locator(f"#post-{post_id} .bookmark__count")).to_have_text(
        "Bookmarked by 1 member"
    )


def test_the_share_menu_copies_the_link(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    author = factories.MemberFactory(username="Windjammer")
    node = factories.ForumFactory(title="Pakistan Defence")
    thread = factories.make_thread(author=author, node=node, title="Dialogue")
    post_id = thread.first_post_id

    page.goto(thread.get_absolute_url())
    message = page.locator(f"#post-{post_id}")
    message.locator(".share-menu summary").click()
    field = message.locator(".js-share-url")
    expect(field).to_have_value(re.compile(rf"/posts/{post_id}/$"))
    message.get_by_role("button", name="Copy link").click()
    expect(message.locator(".js-share-status")).to_have_text("Link copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(f"/posts/{post_id}/")


def test_similar_threads_under_a_thread_and_as_a_title_is_typed(page):
    member = factories.MemberFactory(username="Saleem", password="demo")
    node = factories.ForumFactory(title="Pakistan Defence")
    thread = factories.make_thread(author=member, node=node, title="Naval drills 2026")
    factories.make_thread(
        author=member, node=node, title="Naval drills in the Arabian Sea"
    )
    factories.make_thread(author=member, node=node, title="Cricket scores")

    page.goto(thread.get_absolute_url())
    similar = page.locator(".similar-threads")
    expect(similar).to_contain_text("Naval drills in the Arabian Sea")
    expect(similar).not_to_contain_text("Cricket")

    log_in(page, member.username, "demo")
    page.goto(node.get_post_thread_url())
    page.locator("input[name=title]").press_sequentially("Arabian Sea drills")
    expect(page.locator(".js-similar-titles")).to_contain_text(
        "Naval drills in the Arabian Sea"
    )


def test_too_many_bookmark_changes_and_title_look_ups_are_said_or_passed_over(
    page, settings
):
    settings.FORUM_RATE_LIMITS = {
        **settings.FORUM_RATE_LIMITS,
        "bookmark": (1, 3600),
        "similar_titles": (1, 3600),
    }
    member = factories.MemberFactory(username="Saleem", password="demo")
    node = factories.ForumFactory(title="Pakistan Defence")
    thread = factories.make_thread(
        author=member, node=node, title="Naval drills in the Arabian Sea", replies=1
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, member.username, "demo")
    page.goto(thread.get_absolute_url())
    page.evaluate("window.__sameDocument = true")
    first, second = page.locator("article.message").all()[:2]

    first.get_by_role("button", name="Bookmark").click()
    expect(first.locator(".bookmark__toggle--on")).to_have_text("Bookmarked")
    page.keyboard.press("Escape")  # its note and labels, offered at once: closed
    second.get_by_role("button", name="Bookmark").click()
    expect(second.get_by_role("alert")).to_have_text(
        "Too many bookmark changes: at most 1 an hour. "
        "Please wait a moment and try again."
    )
    expect(second.get_by_role("button", name="Bookmark")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True

    page.goto(node.get_post_thread_url())
    title = page.locator("input[name=title]")
    title.press_sequentially("Arabian Sea drills")
    box = page.locator(".js-similar-titles")
    expect(box).to_contain_text("Naval drills in the Arabian Sea")
    with page.expect_response(re.compile("similar-titles")) as refused:
        title.press_sequentially(" again")
    assert refused.value.status == 429
    expect(box).to_contain_text("Naval drills in the Arabian Sea")  # kept
    assert errors == []
