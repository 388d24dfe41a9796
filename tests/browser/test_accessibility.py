"""axe-core (the script shipped by axe-playwright-python) on the main pages in
real Chromium, for a guest, a member and a moderator, in the light and the dark
theme, at 1280 and at 360 px: no serious or critical violation anywhere (the
header's menus and the alerts drop-down open, the composer, the alerts and
watched pages, the member's moderation log and appeal, the confirmation step).
And a keyboard alone writes a reply."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from forum.moderation.models import ModeratorLog
from forum.moderation.services import appeals, content
from tests.browser.boards import PASSWORD, make_board
from tests.browser.conftest import log_in

SERIOUS = {"serious", "critical"}


# Text in a colour a member chose ([COLOR=red] in a post, and the examples of it
# on the BBCode help page) keeps that exact colour by design (the markup's
# palette): it is the member's content, not the site's.
MEMBER_COLOURS = {"exclude": [["[class*='bb-color-']"]]}


def _violations(page) -> list[str]:
    results = Axe().run(page, context=MEMBER_COLOURS)
    return [
        f"{found['id']} ({found['impact']}): "
        + "; ".join(node["target"][0] for node in found["nodes"][:5])
        for found in results.response["violations"]
        if found["impact"] in SERIOUS
    ]


def _pages(board) -> list[str]:
    return [
        reverse("threads:index"),
        board.node.get_absolute_url(),
        board.thread.get_absolute_url(),
        reverse("discovery:whats_new"),
        reverse("members:list"),
        board.author.get_absolute_url(),
        reverse("search:search") + "?q=tanks",
    ]


def _member_pages(board, entry) -> list[str]:
    return [
        reverse("moderation:my_log"),
        reverse("moderation:appeal", args=[entry.pk]),
        reverse("usersessions_list"),
        reverse("notifications:alerts"),
        reverse("notifications:watched"),
        reverse("notifications:preferences"),
        reverse("members:account_profile"),
        reverse("mfa_index"),
        reverse("mfa_activate_totp"),
        board.thread.get_reply_url(),
        board.node.get_absolute_url() + "post-thread",
        reverse("posts:bbcode_help"),
    ]


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_main_pages_have_no_serious_accessibility_violations(
    browser, live_server, transactional_db, settings, scheme
):
    settings.FORUM_FLOOD_SECONDS = 0
    board = make_board()
    # Two of Ayesha's posts deleted: one she may appeal, one she has appealed
    # (the moderators' queue has it).
    for position in (1, 3):
        content.delete_post(
            actor=board.moderator,
            post=board.thread.posts.get(position=position),
            reason="Off topic",
        )
    appealed, entry = ModeratorLog.objects.filter(subject=board.reader).order_by("-pk")
    appeals.appeal_action(member=board.reader, entry=appealed, text="It was on topic.")
    found: dict[str, list[str]] = {}
    for width in (1280, 360):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": 900},
            color_scheme=scheme,
        )
        page = context.new_page()
        guest = _pages(board) + [reverse("account_login"), reverse("account_signup")]
        for path in guest:
            page.goto(path)
            found[f"guest {width} {path}"] = _violations(page)
        log_in(page, "Ayesha R.", PASSWORD)
        for path in _pages(board) + _member_pages(board, entry):
            page.goto(path)
            found[f"member {width} {path}"] = _violations(page)
        page.goto(board.thread.get_absolute_url())
        page.locator(".site-menu > summary").click()
        found[f"member {width} open menu"] = _violations(page)
        page.keyboard.press("Escape")
        page.locator(".js-alerts").click()
        page.locator("#alerts-popup .empty, #alerts-popup li").first.wait_for()
        found[f"member {width} alerts drop-down"] = _violations(page)
        context.close()
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": 900},
            color_scheme=scheme,
        )
        page = context.new_page()
        log_in(page, "Sergeant", PASSWORD)
        for path in (
            board.thread.get_absolute_url(),
            reverse("moderation:index"),
            reverse("moderation:log"),
            reverse("moderation:appeals"),
        ):
            page.goto(path)
            found[f"moderator {width} {path}"] = _violations(page)
        page.goto(board.thread.get_absolute_url())
        page.locator(".mod-menu > summary").nth(1).click()
        found[f"moderator {width} open Moderate menu"] = _violations(page)
        page.get_by_role("button", name="Delete thread…").click()
        expect(page.get_by_role("dialog")).to_be_visible()
        found[f"moderator {width} confirmation dialog"] = _violations(page)
        page.keyboard.press("Escape")
        # The confirmation page (what a browser without JavaScript gets).
        page.evaluate(
            "document.querySelectorAll('form[data-confirm]')"
            ".forEach((form) => { delete form.dataset.confirm; })"
        )
        page.get_by_role("button", name="Delete thread…").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Delete")
        found[f"moderator {width} confirmation page"] = _violations(page)
        context.close()
    bad = {where: found for where, found in found.items() if found}
    assert bad == {}, "\n".join(f"{where}: {found}" for where, found in bad.items())


def test_a_keyboard_alone_writes_a_reply(page, transactional_db):
    board = make_board()
    log_in(page, "Ayesha R.", PASSWORD)
    page.goto(board.thread.get_absolute_url())

    # From the top of the page, Tab until the Reply button has focus.
    page.locator("body").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Reply":
            break
    else:
        pytest.fail("Tab never reached the Reply button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("textbox", name="Message")).to_be_focused()
    page.keyboard.type("Typed with the keyboard alone.")
    # On through the composer's attachments (every stop inside the reply form)
    # to the button that posts.
    for _ in range(8):
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('#reply form')")
        if page.evaluate("document.activeElement.textContent.trim()") == "Post reply":
            break
    else:
        pytest.fail("Tab never reached the Post reply button")
    page.keyboard.press("Enter")

    expect(page.locator("article.message").last).to_contain_text(
        "Typed with the keyboard alone."
    )
