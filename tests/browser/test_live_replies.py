"""Live "new replies" in real Chromium: a reader of a thread's last page is told
of replies posted since, politely, and nothing is put on the page by surprise."""

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import log_in


def test_a_reader_of_the_last_page_is_offered_the_new_replies(page):
    author = factories.MemberFactory(username="Windjammer", password="demo")
    reader = factories.MemberFactory(username="Saleem", password="demo")
    node = factories.ForumFactory(title="Pakistan Defence")
    thread = factories.make_thread(author=author, node=node, title="Dams", replies=2)
    page.add_init_script("window.forumLiveRepliesEvery = 300")
    log_in(page, reader.username, "demo")
    page.goto(thread.get_absolute_url())
    status = page.get_by_role("status")
    expect(page.locator("article.message")).to_have_count(3)

    reply = factories.reply(author=factories.wait_out_flood(author), thread=thread)

    offer = status.get_by_role("link")
    expect(offer).to_have_text("1 new reply — show")
    expect(page.locator("article.message")).to_have_count(3)  # nothing inserted
    offer.click()
    expect(page.locator(f"#post-{reply.pk}")).to_be_visible()
