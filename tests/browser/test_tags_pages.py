"""The tags index and a tag page in real Chromium: no serious accessibility
violation (light and dark, 1280 and 360 px, with JavaScript and without), not
one Content Security Policy violation, no horizontal scrolling on a phone, and
the filter box narrows the list as a plain form."""

import os

import pytest
from playwright.sync_api import expect

from forum.discovery.models import SidebarWidget
from forum.threads import tagging
from forum.threads.models import Tag
from tests import factories
from tests.browser.test_accessibility import _violations
from tests.browser.test_csp import Watch


@pytest.fixture
def tags_board(transactional_db):
    author = factories.MemberFactory(username="Windjammer", password="demo")
    category = factories.CategoryFactory(title="Pakistan")
    node = factories.ForumFactory(title="Pakistan Defence", parent=category)
    names = ["Navy", "CPEC", "JF-17", "Air Force", "Gwadar port", "Border"]
    for n in range(12):
        thread = factories.make_thread(author=author, node=node, title=f"Topic {n}")
        picked = [names[(n + i) % len(names)] for i in range(n % 3 + 1)]
        tagging.set_thread_tags(thread=thread, names=picked, by=author)
    Tag.objects.filter(key__in=["cpec", "jf17"]).update(is_official=True)
    SidebarWidget.objects.create(kind=SidebarWidget.Kind.TAGS, title="Tags")
    return node


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_tags_pages_are_accessible_and_fit_a_phone(
    browser, live_server, tags_board, settings, scheme
):
    shots = os.environ.get("FORUM_SCREENSHOTS")  # a folder: keep pictures there
    found = {}
    for width in (1280, 360):
        for scripts in (True, False):
            context = browser.new_context(
                base_url=live_server.url,
                viewport={"width": width, "height": 900},
                color_scheme=scheme,
                java_script_enabled=scripts,
            )
            page = context.new_page()
            for path in ("/tags/", "/tags/?q=a", "/tags/navy/", "/"):
                page.goto(path)
                if scripts:
                    found[f"{width} {path}"] = _violations(page)
                wide = page.evaluate(
                    "document.documentElement.scrollWidth > window.innerWidth"
                )
                assert not wide, f"{path} scrolls sideways at {width} px"
                if shots and scripts and path == "/tags/":
                    page.screenshot(
                        path=f"{shots}/tags-{width}-{scheme}.png", full_page=True
                    )
            context.close()
    bad = {where: found for where, found in found.items() if found}
    assert bad == {}, "\n".join(f"{where}: {found}" for where, found in bad.items())


def test_the_filter_box_works_as_a_plain_form_under_the_policy(page, tags_board):
    watched = Watch(page)
    watched.open("/")
    page.locator(".tag-cloud__all").get_by_role("link", name="All tags").click()
    expect(page.locator("h1")).to_have_text("Tags")
    watched.check("the tags index")
    page.get_by_label("Filter tags").fill("po")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".tag-index__item a.tag")).to_have_text(["Gwadar port"])
    assert "q=po" in page.url
    watched.check("the filtered index")
    page.locator(".tag-index__item a.tag").click()
    expect(page.locator("h1")).to_contain_text("Gwadar port")
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Tags"
    ).click()
    expect(page.locator(".tag-index__item")).to_have_count(6)
    watched.check("back to the index")
