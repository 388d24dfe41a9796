"""Finding and organizing in real Chromium: a member posts a thread with a prefix
and tags (the tag field suggests an existing tag), filters the forum page by that
prefix and sorts it by title, jumps to a page with the "go to page" box and with
a thread row's page links, and opens the tag page."""

from playwright.sync_api import expect

from forum.threads import prefixes
from forum.threads.models import Prefix, Tag
from tests import factories
from tests.browser.conftest import log_in


def test_prefix_tags_sort_filter_and_page_jumps(page, settings):
    settings.FORUM_THREADS_PER_PAGE = 3
    settings.FORUM_POSTS_PER_PAGE = 2
    member = factories.MemberFactory(username="Saleem", password="demo")
    category = factories.CategoryFactory(title="Pakistan")
    forum = factories.ForumFactory(title="Pakistan Defence", parent=category)
    analysis = Prefix.objects.create(label="Analysis", colour=Prefix.Colour.BLUE)
    analysis.forums.add(forum)
    prefixes.changed()
    Tag.objects.create(name="JF-17", key="jf17", is_official=True, thread_count=4)
    for n in range(5):
        factories.make_thread(author=member, node=forum, title=f"Zebra {n}")
    long = factories.make_thread(author=member, node=forum, title="Long", replies=9)
    log_in(page, "Saleem", "demo")

    page.goto(forum.get_post_thread_url())
    page.get_by_label("Title").fill("Air power in the north")
    page.locator("textarea[name=body]").fill("Which squadrons moved?")
    page.get_by_label("Prefix").select_option(label="Analysis")
    tags = page.locator("input[name=tags]")
    tags.press_sequentially("jf")
    suggestion = page.locator(".tag-suggest__item").first
    expect(suggestion).to_contain_text("JF-17")
    suggestion.dispatch_event("mousedown")
    expect(tags).to_have_value("JF-17, ")
    tags.press_sequentially("Border")
    page.get_by_role("button", name="Post thread").click()
    heading = page.locator("h1.page-title")
    expect(heading.locator(".prefix")).to_have_text("Analysis")
    expect(page.locator(".tag-list")).to_contain_text("JF-17")

    page.goto(forum.get_absolute_url())
    page.locator(".listing-filters > summary").click()
    page.locator("#filter-prefix").select_option(label="Analysis")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator(".thread-row__title > a:not(.jump-unread)")
    expect(rows).to_have_text(["Air power in the north"])
    assert f"prefix={analysis.pk}" in page.url

    page.goto(forum.get_absolute_url())
    page.locator(".sort-links").get_by_role("link", name="Title").click()
    expect(rows.first).to_have_text("Air power in the north")
    assert "sort=title" in page.url
    box = page.locator("form.page-jump").first
    box.locator("input[name=page]").fill("3")
    box.get_by_role("button", name="Go").click()
    expect(page.locator(".page-nav__current").first).to_have_text("3")
    assert "page-3?sort=title" in page.url

    page.goto(forum.get_absolute_url())
    row = page.locator(".thread-row", has_text="Long")
    row.locator(".thread-pages").get_by_role("link", name="5").click()
    assert page.url.endswith(long.get_absolute_url(5))

    page.goto("/tags/jf17/")
    expect(page.locator("h1")).to_contain_text("JF-17")
    expect(page.locator(".thread-row__title")).to_contain_text("Air power in the north")
