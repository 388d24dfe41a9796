"""Every main page in real Chromium under the Content Security Policy: not one
violation (reported by the page or on the console), and the parts that scripts
drive still work: the reaction menu, the quote buttons, the news "already
discussed" check, the moderator bars; posts keep their colours and fonts."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from forum.moderation.models import Moderator
from forum.moderation.services import community, content
from forum.news.models import NewsQuote
from forum.policy import snapshot as policy
from tests import factories
from tests.browser.conftest import log_in
from tests.news.news_helpers import image_bytes, make_quote

NEWS_URL = "https://tribune.com.pk/story/534012/strategic-dialogue"
PICTURE = "https://images.example.org/map.png"
VIDEO = "dQw4w9WgXcQ"
OPENING = (
    "[COLOR=red]Red alert[/COLOR], [COLOR=#1e90ff]blue note[/COLOR], "
    "[FONT=Courier New]typed[/FONT] and [SIZE=5]big[/SIZE].\n"
    f"{NEWS_URL}\n"
    f"[MEDIA=youtube]{VIDEO}[/MEDIA]\n"
    f"[IMG]{PICTURE}[/IMG]\n"
    "[SPOILER=Plans]Berths four to seven.[/SPOILER]"
)

# Runs before any script of each page: every violation the page meets is kept.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}` +
    ` (${event.sourceFile || event.documentURI}:${event.lineNumber})`
  );
});
"""


class Watch:
    """Violations and script errors on the pages a test opens."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        self.errors: list[str] = []
        page.add_init_script(WATCH)
        page.on("console", lambda message: self.console.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path: str) -> None:
        response = self.page.goto(path)
        assert response.status == 200, (path, response.status)
        self.page.wait_for_load_state("load")
        self.check(path)

    def check(self, where: str) -> None:
        reported = self.page.evaluate("window.__csp || []")
        console = [text for text in self.console if "Content Security Policy" in text]
        assert reported == [] and console == [], (where, reported, console)
        assert self.errors == [], (where, self.errors)


@pytest.fixture
def watched(page):
    # Outside addresses a post uses, answered here (tests reach only 127.0.0.1).
    page.context.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(
            content_type="text/html", body="<!doctype html><p>A video</p>"
        ),
    )
    page.context.route(
        PICTURE,
        lambda route: route.fulfill(
            content_type="image/png", body=image_bytes((120, 80))
        ),
    )
    return Watch(page)


@pytest.fixture
def board(transactional_db):
    factories.default_reaction_types()
    author = factories.MemberFactory(username="Windjammer", password="demo")
    reader = factories.MemberFactory(username="Saleem", password="demo")
    category = factories.CategoryFactory(title="Pakistan")
    node = factories.ForumFactory(title="Pakistan Defence", parent=category)
    make_quote(NEWS_URL, excerpt="Officials will meet before the month ends.")
    thread = factories.make_thread(
        author=author, node=node, title="Strategic dialogue", body=OPENING
    )
    reply = factories.reply(
        author=reader,
        thread=thread,
        body=(
            f'[QUOTE="Windjammer, post: {thread.first_post_id}, '
            f'member: {author.pk}"]Red alert[/QUOTE]\nAgreed, a dialogue.'
        ),
    )
    thread.refresh_from_db()
    return {
        "author": author,
        "reader": reader,
        "node": node,
        "thread": thread,
        "reply": reply,
    }


def test_guest_pages_break_no_policy_and_posts_keep_their_look(watched, board):
    page, thread = watched.page, board["thread"]
    for path in (
        reverse("threads:index"),
        board["node"].get_absolute_url(),
        reverse("discovery:whats_new"),
        reverse("search:search") + "?q=dialogue",
        reverse("members:list"),
        board["author"].get_absolute_url(),
        reverse("account_login"),
        reverse("account_signup"),
        thread.get_absolute_url(),
    ):
        watched.open(path)
        if "search" in path:
            expect(
                page.locator(".search-result, .search-results li").first
            ).to_be_visible()

    # Still on the thread page: the post looks as it did with inline styles.
    first = page.locator(f"#post-{thread.first_post_id}")
    assert (
        first.get_by_text("Red alert").first.evaluate(
            "el => getComputedStyle(el).color"
        )
        == "rgb(255, 0, 0)"
    )
    assert (
        first.get_by_text("blue note").evaluate("el => getComputedStyle(el).color")
        == "rgb(51, 153, 255)"
    )
    assert "Courier New" in first.get_by_text("typed").evaluate(
        "el => getComputedStyle(el).fontFamily"
    )
    expect(first.locator("figure.news-card")).to_contain_text("Strategic dialogue")
    video = first.locator(".bb-media iframe")
    expect(video).to_have_attribute(
        "src", f"https://www.youtube-nocookie.com/embed/{VIDEO}"
    )
    video.scroll_into_view_if_needed()  # loaded lazily: frame-src lets it in
    expect(
        first.frame_locator(".bb-media iframe").get_by_text("A video")
    ).to_be_visible()
    assert first.locator("img.bb-img").evaluate("img => img.naturalWidth") == 120
    # The letter avatar keeps its colour (a class now, not a style).
    avatar = first.locator(".avatar--letter").first
    assert avatar.evaluate("el => getComputedStyle(el).backgroundColor") not in (
        "rgba(0, 0, 0, 0)",
        "",
    )
    watched.check("thread page, looked at")


def test_signup_honeypot_stays_off_screen(watched, board):
    watched.open(reverse("account_signup"))
    box = watched.page.locator(".hp-field").bounding_box()
    assert box is not None and box["x"] + box["width"] < 0


def test_member_pages_and_their_scripts_work_under_the_policy(watched, board):
    page, thread = watched.page, board["thread"]
    log_in(page, "Saleem", "demo")
    watched.check("login")

    watched.open(thread.get_absolute_url())
    page.evaluate("window.__sameDocument = true")
    first = page.locator(f"#post-{thread.first_post_id}")
    # The posted picture has no size until it loads: let it load before clicking
    # below it, or the click lands where the button was.
    picture = first.locator("img.bb-img")
    picture.scroll_into_view_if_needed()
    expect(picture).to_have_js_property("complete", True)

    # The reaction menu: opened, then a reaction sent without a reload.
    first.locator(".react-control summary").click()
    expect(first.get_by_role("button", name="Like")).to_be_visible()
    watched.check("reaction menu opened")
    first.get_by_role("button", name="Like").click()
    expect(first.locator(".reactions-bar__names")).to_have_text("You")
    assert page.evaluate("window.__sameDocument") is True

    # Multi-quote (shown by the script), then Quote: the reply box fills in.
    multi = first.get_by_role("button", name="+ Multi-quote")
    expect(multi).to_be_visible()
    multi.click()
    expect(multi).to_have_attribute("aria-pressed", "true")
    first.get_by_role("link", name="Quote").click()
    expect(page.locator(".reply-box textarea")).to_have_value(
        re.compile(r'\[QUOTE="Windjammer, post: \d+, member: \d+"\]')
    )
    watched.check("reacted and quoted")

    for path in (
        reverse("members:account_profile"),
        reverse("members:account_avatar"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("members:account_delete"),
        reverse("discovery:whats_new"),
        reverse("members:list"),
        reverse("notifications:watched"),
        reverse("notifications:preferences"),
        thread.get_absolute_url() + "watch",
        reverse("posts:bbcode_help"),
    ):
        watched.open(path)

    # The alerts drop-down (its script fetches the latest few).
    watched.open(reverse("notifications:alerts"))
    page.locator(".js-alerts").click()
    expect(page.locator("#alerts-popup")).to_contain_text("Show all alerts")
    watched.check("alerts drop-down opened")

    # The composer on the full reply page: toolbar, preview in place.
    watched.open(thread.get_reply_url())
    page.locator("textarea[name=body]").fill("[B]Strong[/B]")
    page.locator(".js-preview").click()
    expect(page.locator(".preview strong")).to_have_text("Strong")
    watched.check("composer preview")


def test_new_thread_form_checks_for_discussed_articles_under_the_policy(watched, board):
    page = watched.page
    NewsQuote.objects.filter(url=NEWS_URL).update(status="manual", manual=True)
    log_in(page, "Saleem", "demo")
    watched.open(board["node"].get_post_thread_url())
    page.get_by_label("Title").fill("Russian delegation to visit")
    page.get_by_label("Message").fill(f"{NEWS_URL}?utm_source=fb")

    notice = page.locator(".news-discussed")
    expect(notice).to_be_visible()  # the script asked, before any submit
    expect(
        notice.get_by_role("link", name="Strategic dialogue", exact=True)
    ).to_have_attribute("href", board["thread"].get_absolute_url())
    watched.check("already discussed")


def test_moderator_and_admin_pages_break_no_policy(watched, board):
    page, thread = watched.page, board["thread"]
    moderator = factories.MemberFactory(
        username="Sergeant", password="demo", is_staff=True, is_superuser=True
    )
    Moderator.objects.create(user=moderator, node=None)
    policy.bump_version()
    community.report_post(
        reporter=board["author"], post=board["reply"], reason="Off topic"
    )
    content.set_locked(actor=moderator, thread=thread, locked=True, reason="Cool off")
    content.unapprove_post(actor=moderator, post=board["reply"])

    log_in(page, "Sergeant", "demo")
    for name in ("moderation:queue", "moderation:reports", "moderation:log"):
        watched.open(reverse(name))
    expect(page.get_by_text("Cool off").first).to_be_visible()

    # The moderator bar on the forum page counts the ticked threads.
    watched.open(board["node"].get_absolute_url())
    page.get_by_label("Select thread: Strategic dialogue").check()
    expect(page.locator("#inline-threads .js-mod-count")).to_have_text("(1 selected)")

    watched.open(reverse("admin:index"))
    expect(page.get_by_role("link", name="Threads").first).to_be_visible()
    watched.check("admin index")
