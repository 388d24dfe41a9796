"""The header on a 360 px phone: one row, at most 64 px, for a guest, a member
and a moderator; its one menu holds the navigation and the account menu and
opens with JavaScript and without. Under each post, one row of actions."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from forum.notifications.services import Kind, notify
from tests.browser.boards import PASSWORD, make_board
from tests.browser.conftest import log_in

PHONE = {"width": 360, "height": 740}


def _phone(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, **options)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _header_height(page) -> float:
    return page.locator("header.site-header").bounding_box()["height"]


@pytest.mark.parametrize("who", [None, "Ayesha R.", "Sergeant"])
def test_the_phone_header_is_one_row_and_its_menu_opens(
    browser, live_server, transactional_db, who
):
    board = make_board()
    context, page = _phone(browser, live_server)
    if who:
        member = get_user_model().objects.get(username=who)
        for _ in range(12):  # a two-digit count in the row
            notify(user=member, kind=Kind.MODERATION, text="Something happened.")
        log_in(page, who, PASSWORD)
    page.goto(board.thread.get_absolute_url())

    assert _header_height(page) <= 64
    if who:
        count = page.locator("header .js-alerts")
        expect(count).to_have_text(re.compile(r"Alerts\s*12$"))
        expect(count).to_have_accessible_name("Alerts, 12 unread")
        expect(count.locator(".badge")).to_be_visible()
        assert count.bounding_box()["y"] + count.bounding_box()["height"] <= 64
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    menu = page.get_by_role("navigation", name="Main menu")
    expect(menu).to_be_hidden()
    button = page.locator(".site-menu > summary")
    button.click()
    expect(menu.get_by_role("link", name="What's new")).to_be_visible()
    if who == "Sergeant":
        expect(page.get_by_role("link", name="Moderation", exact=True)).to_be_visible()
    # The open menu covers the page, not the header: the header keeps its height.
    assert _header_height(page) <= 64
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()

    button.click()
    menu.get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", name="Members", level=1)).to_be_visible()
    context.close()


def test_the_phone_menu_works_without_javascript(
    browser, live_server, transactional_db
):
    board = make_board()
    context, page = _phone(browser, live_server, java_script_enabled=False)
    log_in(page, "Ayesha R.", PASSWORD)
    page.goto(board.thread.get_absolute_url())

    assert _header_height(page) <= 64
    page.locator(".site-menu > summary").click()
    account = page.get_by_role("navigation", name="Account")
    expect(account.get_by_role("link", name="Sessions")).to_be_visible()
    account.get_by_role("link", name="Moderation of my posts").click()
    expect(
        page.get_by_role("heading", name="Moderation of my posts", level=1)
    ).to_be_visible()
    page.locator(".site-menu > summary").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    assert _header_height(page) <= 64
    page.locator(".site-menu > summary").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    context.close()


def test_post_actions_are_one_row_on_a_phone_with_the_rest_under_more(
    browser, live_server, transactional_db
):
    board = make_board()
    context, page = _phone(browser, live_server)
    log_in(page, "Ayesha R.", PASSWORD)
    page.goto(board.thread.get_absolute_url())
    post = page.locator(f"#post-{board.thread.first_post_id}")
    actions = post.locator(".message__actions")

    assert actions.bounding_box()["height"] <= 52  # one row of 44 px targets
    for target in actions.locator("a, summary, button").all():
        if target.is_visible():
            box = target.bounding_box()
            assert box["height"] >= 44 and box["width"] >= 24, target.inner_text()
    report = post.get_by_role("link", name="Report")
    expect(report).to_be_hidden()
    post.locator(".post-more > summary").click()
    expect(report).to_be_visible()
    context.close()


def test_reply_at_the_top_of_a_thread_goes_to_the_reply_box(page, transactional_db):
    board = make_board(replies=12)
    log_in(page, "Ayesha R.", PASSWORD)
    page.goto(board.thread.get_absolute_url())

    page.locator(".page-header").get_by_role("link", name="Reply").click()

    box = page.get_by_role("textbox", name="Message")
    expect(box).to_be_focused()
    expect(box).to_be_in_viewport()
