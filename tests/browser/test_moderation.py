"""A moderator in real Chromium: merges two threads from the forum page, then
splits three posts out of the merged thread into a new one, all through the
page's own check boxes and action bars."""

import re

from playwright.sync_api import expect

from forum.moderation.models import Moderator
from forum.policy import snapshot as policy
from forum.posts.recount import counter_drift
from forum.threads.models import Thread
from tests import factories
from tests.browser.conftest import log_in


def test_moderator_merges_two_threads_and_splits_three_posts_out(page):
    category = factories.CategoryFactory(title="Defence")
    forum = factories.ForumFactory(title="Army", parent=category)
    author = factories.MemberFactory(username="Author")
    moderator = factories.MemberFactory(username="Sergeant")
    Moderator.objects.create(user=moderator, node=forum)
    policy.bump_version()
    first = factories.make_thread(
        author=author, node=forum, title="Tank numbers", replies=2
    )
    second = factories.make_thread(
        author=author, node=forum, title="Tank numbers, again", replies=2
    )

    log_in(page, "Sergeant", "demo-password")
    page.goto(forum.get_absolute_url())
    page.get_by_label("Select thread: Tank numbers, again").check()
    page.get_by_label("Select thread: Tank numbers", exact=True).check()
    expect(page.locator("#inline-threads .js-mod-count")).to_have_text("(2 selected)")
    page.locator("#inline-threads-action").select_option("merge")
    page.locator("#inline-threads").get_by_role("button", name="Go").click()

    expect(page.get_by_role("heading", name="Merge threads")).to_be_visible()
    page.get_by_label("Tank numbers", exact=True).check()
    page.get_by_role("button", name="Merge").click()

    expect(page).to_have_url(re.compile(rf"/threads/[-\w.]*{first.pk}/$"))
    messages = page.locator("article.message")
    expect(messages).to_have_count(6)
    assert not Thread.objects.filter(pk=second.pk).exists()

    for number in (2, 3, 4):
        messages.nth(number).get_by_text("Select").click()
    page.locator("#inline-posts-action").select_option("split")
    page.locator("#inline-posts").get_by_role("button", name="Go").click()

    expect(
        page.get_by_role("heading", name="Split posts into a new thread")
    ).to_be_visible()
    page.get_by_label("Title of the new thread").fill("Tank numbers: the split")
    page.get_by_label("Create it in forum").select_option(label="Army")
    page.get_by_role("button", name="Split").click()

    expect(page.get_by_role("heading", name="Tank numbers: the split")).to_be_visible()
    expect(page.locator("article.message")).to_have_count(3)
    first.refresh_from_db()
    assert first.reply_count == 2
    assert Thread.objects.get(title="Tank numbers: the split").reply_count == 2
    assert counter_drift() == {}
