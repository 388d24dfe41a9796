"""Reacting in real Chromium: the summary changes in place, without a reload."""

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import log_in


def test_member_reacts_and_changes_the_reaction_without_reloading(page):
    factories.default_reaction_types()
    author = factories.MemberFactory(username="Windjammer", password="demo")
    reader = factories.MemberFactory(username="Saleem", password="demo")
    node = factories.ForumFactory(title="Pakistan Defence")
    thread = factories.make_thread(author=author, node=node, title="Dialogue")
    post_id = thread.first_post_id

    log_in(page, reader.username, "demo")
    page.goto(thread.get_absolute_url())
    page.evaluate("window.__sameDocument = true")
    message = page.locator(f"#post-{post_id}")

    message.locator(".react-control summary").click()
    message.get_by_role("button", name="Like").click()
    expect(message.locator(".reactions-bar__names")).to_have_text("You")
    expect(message.locator(".react-control summary")).to_contain_text("Like")

    message.locator(".react-control summary").click()
    message.get_by_role("button", name="Wow").click()
    expect(message.locator(".react-control summary")).to_contain_text("Wow")

    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    author.refresh_from_db()
    assert author.reaction_score == 1  # replaced, not added
