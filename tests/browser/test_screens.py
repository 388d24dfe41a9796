"""The pages this work changed, as a person sees them, at 1280 and 360 px in the
light and the dark theme: nothing scrolls sideways, the header keeps one row
(at most 64 px on a phone) and the actions under a post keep one row. Each
view is saved as a screenshot for a person to look at: under SCREENSHOT_DIR
when it is set (build/screenshots is git-ignored), else the test's tmp dir."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from forum.moderation.models import ModeratorLog
from forum.moderation.services import appeals, content
from forum.notifications.services import Kind, notify
from tests.browser.boards import PASSWORD, make_board
from tests.browser.conftest import log_in


def _out(tmp_path) -> Path:
    out = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    return out


class _Looker:
    def __init__(self, browser, live_server, out: Path, width: int, scheme: str):
        self.browser, self.live_server, self.out = browser, live_server, out
        self.width, self.scheme = width, scheme
        self.seen: dict[str, dict] = {}

    def sign_in(self, username: str | None):
        context = self.browser.new_context(
            base_url=self.live_server.url,
            viewport={"width": self.width, "height": 800},
            color_scheme=self.scheme,
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        if username:
            log_in(page, username, PASSWORD)
        return context, page

    def look(self, page, name: str, *, full_page: bool = True) -> None:
        header = page.locator("header.site-header").bounding_box()
        self.seen[name] = {
            "header": header["height"],
            "wide": page.evaluate("document.documentElement.scrollWidth"),
        }
        path = self.out / f"{name}-{self.width}-{self.scheme}.png"
        page.screenshot(path=str(path), full_page=full_page)


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_changed_pages_fit_the_screen_in_both_themes(
    browser, live_server, transactional_db, settings, tmp_path, scheme
):
    settings.FORUM_FLOOD_SECONDS = 0
    board = make_board()
    for position in (1, 3):  # two of Ayesha's replies; she appeals one
        content.delete_post(
            actor=board.moderator,
            post=board.thread.posts.get(position=position),
            reason="Off topic",
        )
    entry = ModeratorLog.objects.filter(subject=board.reader).latest("pk")
    appeals.appeal_action(member=board.reader, entry=entry, text="It was on topic.")
    for _ in range(3):  # the header's count, on every page of hers
        notify(user=board.reader, kind=Kind.MODERATION, text="A moderator acted.")
    thread_url = board.thread.get_absolute_url()
    out = _out(tmp_path)

    for width in (1280, 360):
        looker = _Looker(browser, live_server, out, width, scheme)
        context, page = looker.sign_in(None)
        page.goto("/")
        looker.look(page, "guest-index")
        page.goto(reverse("account_login"))
        looker.look(page, "guest-login")
        context.close()

        context, page = looker.sign_in("Ayesha R.")
        page.goto(thread_url)
        looker.look(page, "member-thread", full_page=False)
        actions = page.locator(".message__actions").first.bounding_box()
        assert actions["height"] <= 52, (width, scheme, actions)
        page.locator(".site-menu > summary").click()
        looker.look(page, "member-menu", full_page=False)
        for name, url in (
            ("member-sessions", reverse("usersessions_list")),
            ("member-security", reverse("mfa_index")),
            ("member-modlog", reverse("moderation:my_log")),
            ("member-alerts", reverse("notifications:alerts")),
        ):
            page.goto(url)
            looker.look(page, name)
        context.close()

        context, page = looker.sign_in("Sergeant")
        page.goto(thread_url)
        looker.look(page, "moderator-thread")
        page.locator(".mod-menu > summary").nth(1).click()
        looker.look(page, "moderator-menu", full_page=False)
        page.get_by_role("button", name="Delete thread…").click()
        looker.look(page, "moderator-dialog", full_page=False)
        page.keyboard.press("Escape")
        page.evaluate(
            "document.querySelectorAll('form[data-confirm]')"
            ".forEach((form) => { delete form.dataset.confirm; })"
        )
        page.get_by_role("button", name="Delete thread…").click()
        page.get_by_role("heading", name="Delete thread").wait_for()
        looker.look(page, "moderator-confirm")
        page.goto(reverse("moderation:appeals"))
        looker.look(page, "moderator-appeals")
        context.close()

        wide = {
            name: seen for name, seen in looker.seen.items() if seen["wide"] > width
        }
        assert wide == {}, f"{width} px {scheme}: scrolls sideways: {wide}"
        row = 64 if width == 360 else 72
        tall = {
            name: seen for name, seen in looker.seen.items() if seen["header"] > row
        }
        assert tall == {}, f"{width} px {scheme}: header over {row} px: {tall}"
