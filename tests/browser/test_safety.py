"""Moderator tools that cannot misfire, the member's moderation log with an
appeal, and two-step sign-in, in real Chromium: a thread is deleted only after
the confirmation (a dialog with JavaScript, a page without); a member sees what
a moderator did to their post, appeals it and hears the outcome; a member turns
on an authenticator app and signs in with its code (computed here from the
secret the page shows); a staff member without a second factor is sent to set
one up."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from playwright.sync_api import expect

from forum.moderation.services import content
from forum.threads.models import Thread
from tests.browser.boards import PASSWORD, make_board
from tests.browser.conftest import log_in

DESKTOP = {"width": 1280, "height": 900}


def _context(browser, live_server, **options):
    context = browser.new_context(
        base_url=live_server.url, viewport=options.pop("viewport", DESKTOP), **options
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _deleted(thread) -> bool:
    return Thread.objects.get(pk=thread.pk).is_deleted


def test_a_moderator_deletes_a_thread_only_after_confirming_in_a_dialog(
    browser, live_server, transactional_db
):
    board = make_board()
    context, page = _context(browser, live_server)
    log_in(page, "Sergeant", PASSWORD)
    page.goto(board.thread.get_absolute_url())

    # Nothing destructive is chosen for the selected posts.
    expect(page.locator("#inline-posts-action")).to_have_value("")
    delete = page.get_by_role("button", name="Delete thread…")
    expect(delete).to_have_class(re.compile(r"button--danger"))
    lock = page.get_by_role("button", name="Lock")
    expect(lock).not_to_have_class(re.compile(r"button--danger"))

    delete.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(
        "Delete the thread “Tank numbers on the eastern border” and its 5 posts?"
    )
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    assert not _deleted(board.thread)

    delete.click()
    page.keyboard.press("Escape")  # Escape is a no as well
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert not _deleted(board.thread)

    delete.click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Thread deleted.")).to_be_visible()
    assert _deleted(board.thread)
    context.close()


def test_without_javascript_the_thread_is_deleted_from_the_confirmation_page(
    browser, live_server, transactional_db
):
    board = make_board()
    context, page = _context(browser, live_server, java_script_enabled=False)
    log_in(page, "Sergeant", PASSWORD)
    page.goto(board.thread.get_absolute_url())

    page.get_by_role("button", name="Delete thread…").click()
    expect(page.get_by_role("heading", name="Delete thread", level=1)).to_be_visible()
    expect(page.locator(".confirm-form__what")).to_contain_text(
        "Delete the thread “Tank numbers on the eastern border” and its 5 posts"
    )
    assert not _deleted(board.thread)
    page.get_by_role("link", name="Cancel").click()
    expect(page).to_have_url(re.compile(re.escape(board.thread.get_absolute_url())))
    assert not _deleted(board.thread)

    page.get_by_role("button", name="Delete thread…").click()
    page.get_by_label("Reason (optional)").fill("Duplicate of the other thread")
    page.get_by_role("button", name="Delete thread", exact=True).click()
    expect(page.get_by_text("Thread deleted.")).to_be_visible()
    assert _deleted(board.thread)
    context.close()


def test_a_member_sees_a_moderator_action_on_their_post_appeals_and_hears_back(
    browser, live_server, transactional_db
):
    board = make_board()
    post = board.thread.posts.get(position=1)  # Ayesha's reply
    content.delete_post(actor=board.moderator, post=post, reason="Off topic")

    context, page = _context(browser, live_server)
    log_in(page, "Ayesha R.", PASSWORD)
    page.goto("/")
    page.locator(".site-menu > summary").click()
    page.get_by_role("link", name="Moderation of my posts").click()
    entry = page.locator(".member-log__entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Off topic")
    expect(entry).to_contain_text("Tank numbers on the eastern border")
    entry.get_by_role("link", name=re.compile("^Appeal")).click()
    page.get_by_label("Why should the moderators look again?").fill(
        "It answered the question about tanks."
    )
    page.get_by_role("button", name="Send the appeal").click()
    expect(page.get_by_text("Your appeal has been sent.")).to_be_visible()
    expect(entry).to_contain_text("Appeal: Waiting for a moderator")
    expect(entry.get_by_role("link", name=re.compile("^Appeal"))).to_have_count(0)
    context.close()

    context, page = _context(browser, live_server)
    log_in(page, "Sergeant", PASSWORD)
    page.goto(reverse("moderation:appeals"))
    appeal = page.locator("article.mod-item")
    expect(appeal).to_contain_text("Ayesha R. appeals")
    expect(appeal).to_contain_text("It answered the question about tanks.")
    appeal.get_by_role("radio", name=re.compile("Overturn")).check()
    appeal.get_by_label("Note to the member").fill("Fair point, restored.")
    appeal.get_by_role("button", name="Decide").click()
    expect(page.get_by_text("There are no open appeals.")).to_be_visible()
    context.close()

    context, page = _context(browser, live_server)
    log_in(page, "Ayesha R.", PASSWORD)
    page.goto("/")
    alerts = page.locator(".js-alerts")
    expect(alerts).to_have_accessible_name("Alerts, 1 unread")
    alerts.click()
    expect(page.locator("#alerts-popup")).to_contain_text(
        "Your appeal was decided: “Deleted post” was reversed. Fair point, restored."
    )
    page.goto(board.thread.get_absolute_url())
    expect(page.locator(f"#post-{post.pk}")).to_contain_text("Reply 1 in thread")
    expect(page.locator(f"#post-{post.pk}")).not_to_contain_text("deleted")
    context.close()


def _code(secret: str, *, step: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def _set_up_the_app(page) -> str:
    # Changing sign-in settings asks for the password again (allauth's
    # reauthentication), even just after signing in.
    expect(page.get_by_label("Password")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label("Authenticator code").fill(_code(secret))
    page.get_by_role("button", name="Activate").click()
    return secret


@pytest.fixture
def one_step_of_drift(settings):
    # A code is good for one use: the code at sign-in is the next one the app
    # shows (30 seconds on), which the server allows one step early.
    settings.MFA_TOTP_TOLERANCE = 1


def test_a_member_turns_on_an_authenticator_app_and_signs_in_with_its_code(
    browser, live_server, transactional_db, one_step_of_drift
):
    make_board()
    context, page = _context(browser, live_server)
    log_in(page, "Ayesha R.", PASSWORD)
    page.goto(reverse("mfa_activate_totp"))
    secret = _set_up_the_app(page)
    expect(page.get_by_text(re.compile("recovery codes", re.I)).first).to_be_visible()
    page.goto("/")
    page.locator(".site-menu > summary").click()
    page.get_by_role("button", name="Log out").click()

    page.goto("/accounts/login/")
    page.get_by_label("Username or e-mail").fill("Ayesha R.")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    code = page.get_by_label("Code", exact=True)
    expect(code).to_be_visible()
    code.fill("000000" if _code(secret, step=1) != "000000" else "111111")
    page.locator("form button[type=submit]").first.click()
    expect(page.get_by_text(re.compile("incorrect code", re.I))).to_be_visible()
    code.fill(_code(secret, step=1))
    page.locator("form button[type=submit]").first.click()

    page.goto(reverse("usersessions_list"))
    expect(page.get_by_role("heading", name="Sessions", level=1)).to_be_visible()
    expect(page.get_by_text("This browser")).to_be_visible()
    context.close()


def test_a_staff_member_without_a_second_factor_is_asked_to_set_one_up(
    browser, live_server, transactional_db, settings, one_step_of_drift
):
    settings.FORUM_STAFF_MFA_REQUIRED = True
    board = make_board()
    context, page = _context(browser, live_server)
    log_in(page, "Admiral", PASSWORD)
    page.goto(board.thread.get_absolute_url())

    expect(page).to_have_url(re.compile("totp%2Factivate"))
    expect(
        page.get_by_text("Staff accounts need two-step verification.")
    ).to_be_visible()
    page.goto("/admin/")
    expect(page).to_have_url(re.compile("totp%2Factivate"))

    _set_up_the_app(page)
    page.goto(board.thread.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Tank numbers on the eastern border"
    )
    context.close()
