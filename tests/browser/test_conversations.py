"""Conversations in real Chromium: Windjammer starts one with Saleem and Desert
Hawk from Saleem's profile, Saleem replies from the alert, Desert Hawk leaves
and ignores it, and a fourth member gets a 404 on its address and finds it
neither in site search nor in their own conversations. An ignored member
cannot start one with the member who ignores them.

SCREENSHOTS=<folder> keeps pictures of the inbox and a conversation (desktop
and 360 px, light and dark) for a person to look at."""

import os
import re
from pathlib import Path

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from forum.conversations.models import Conversation
from forum.members import services as members
from forum.posts.recount import counter_drift
from tests import factories
from tests.browser.conftest import log_in

User = get_user_model()
PASSWORD = "demo-password"


def _as(browser, live_server, username, **options):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=options.pop("viewport", {"width": 1280, "height": 900}),
        **options,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, username, PASSWORD)
    return page


def _shoot(browser, live_server, username, url, name):
    folder = os.environ.get("SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        for label, width in (("desktop", 1280), ("phone", 360)):
            page = _as(
                browser,
                live_server,
                username,
                viewport={"width": width, "height": 900},
                color_scheme=scheme,
            )
            page.goto(url)
            page.screenshot(
                path=f"{folder}/{name}-{label}-{scheme}.png", full_page=True
            )
            page.context.close()


def test_a_private_conversation_among_three(page, browser, live_server, settings):
    settings.RATE_LIMITS_ENABLED = False
    for name in ("Windjammer", "Saleem", "Desert Hawk", "Outsider"):
        factories.MemberFactory(username=name)
    saleem = User.objects.get(username="Saleem")

    # Windjammer starts it from Saleem's profile, adding Desert Hawk.
    log_in(page, "Windjammer", PASSWORD)
    page.goto(saleem.get_absolute_url())
    page.get_by_role("link", name="Start conversation").click()
    expect(page.get_by_label("With")).to_have_value("Saleem")
    page.get_by_label("With").fill("Saleem, Desert Hawk")
    page.get_by_label("Title").fill("Rations for the winter post")
    page.get_by_role("textbox", name="Message").fill(
        "How many [B]crates[/B] did we count?"
    )
    page.get_by_role("button", name="Start conversation").click()
    expect(
        page.get_by_role("heading", name="Rations for the winter post")
    ).to_be_visible()
    expect(page.locator("article.message strong")).to_have_text("crates")
    conversation = Conversation.objects.get()
    url = conversation.get_absolute_url()

    # Saleem sees the count in the header, opens it and replies.
    saleem_page = _as(browser, live_server, "Saleem")
    count = saleem_page.locator(".nav-conversations")
    expect(count).to_have_accessible_name("Conversations, 1 unread")
    count.click()
    expect(saleem_page.locator(".conversation-row--unread")).to_have_count(1)
    saleem_page.get_by_role("link", name="Rations for the winter post").click()
    expect(saleem_page.locator(".nav-conversations")).to_have_text("Conversations")
    saleem_page.get_by_role("textbox", name="Message").fill(
        "Forty-two, and two of them damp."
    )
    saleem_page.get_by_role("button", name="Send reply").click()
    expect(saleem_page.locator("article.message")).to_have_count(2)
    expect(saleem_page).to_have_url(re.compile(r"#message-\d+$"))

    # Desert Hawk leaves it and ignores what comes next.
    hawk = _as(browser, live_server, "Desert Hawk")
    hawk.goto(url)
    expect(hawk.locator("article.message")).to_have_count(2)
    hawk.locator(".conversation-leave summary").click()
    hawk.get_by_label("Leave and ignore its future messages").check()
    hawk.get_by_role("button", name="Leave conversation").click()
    expect(hawk.get_by_role("heading", name="Conversations")).to_be_visible()
    expect(hawk.get_by_text("Rations for the winter post")).to_have_count(0)
    page.goto(url)
    page.get_by_role("textbox", name="Message").fill("Noted, thank you both.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("article.message")).to_have_count(3)
    hawk.goto("/conversations/")
    expect(hawk.locator(".nav-conversations")).to_have_text("Conversations")
    expect(hawk.get_by_text("Rations for the winter post")).to_have_count(0)

    # A fourth member: a 404 at its address, nothing in either search.
    outsider = _as(browser, live_server, "Outsider")
    response = outsider.goto(url)
    assert response.status == 404
    outsider.goto("/search/?q=crates")
    expect(outsider.locator("main")).not_to_contain_text("Rations")
    outsider.goto("/conversations/?q=crates")
    expect(outsider.locator("main")).not_to_contain_text("Rations")
    expect(outsider.locator("main")).to_contain_text("No conversation of yours")

    # An ignored member cannot start a conversation with the one ignoring them.
    members.ignore_member(member=saleem, ignored=User.objects.get(username="Outsider"))
    outsider.goto("/conversations/add")
    outsider.get_by_label("With").fill("Saleem")
    outsider.get_by_label("Title").fill("Hello again")
    outsider.get_by_role("textbox", name="Message").fill("Why won't you answer?")
    outsider.get_by_role("button", name="Start conversation").click()
    expect(outsider.locator(".form-errors")).to_contain_text(
        "Saleem does not accept conversations from you."
    )
    expect(outsider.get_by_role("textbox", name="Message")).to_have_value(
        "Why won't you answer?"
    )
    assert Conversation.objects.count() == 1
    assert counter_drift() == {}

    _shoot(browser, live_server, "Saleem", "/conversations/", "inbox")
    _shoot(browser, live_server, "Saleem", url, "conversation")
