"""Alerts end to end in real Chromium: Saleem watches a thread; Windjammer replies
quoting him and mentioning Desert Hawk (picked from the @mention picker); both
see the count in the header, the alert in the drop-down and on the alerts page,
and land on the exact post; Saleem's e-mail unsubscribes in one click."""

import re
import urllib.request
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from forum.devtools.demo import load_demo
from forum.notifications.models import Alert, ThreadWatch
from forum.posts.models import Post
from tests.browser.conftest import log_in
from tests.outbox import let_time_pass, run_worker


def _member_page(browser, live_server, username):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, username, "demo")
    return page


def _sees_the_alert(page, words: str, reply: Post) -> None:
    page.goto("/")
    alerts = page.locator(".js-alerts")
    expect(alerts).to_have_accessible_name("Alerts, 1 unread")
    alerts.click()  # the drop-down, fetched by its script
    popup = page.locator("#alerts-popup")
    expect(popup).to_contain_text(words)
    popup.get_by_role("link", name="Show all alerts").click()
    expect(page.get_by_role("heading", name="Your alerts")).to_be_visible()
    item = page.locator(".alert-item--unread")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(words)
    item.locator(f'a[href="/posts/{reply.pk}/"]').click()  # the exact post
    expect(page).to_have_url(re.compile(rf"#post-{reply.pk}$"))
    expect(page.locator(f"#post-{reply.pk}")).to_be_visible()
    expect(page.locator(".js-alerts")).to_have_text("Alerts")  # read by reading it


def test_watch_quote_mention_alerts_and_one_click_unsubscribe(
    page, browser, live_server
):
    load_demo(log=lambda *_: None)
    run_worker()  # the demo's own alerts (its reactions, quotes), read at once
    Alert.objects.update(read_at=timezone.now())
    get_user_model().objects.update(unread_alert_count=0)
    Site.objects.update_or_create(
        pk=1, defaults={"domain": urlsplit(live_server.url).netloc}
    )
    quoted = Post.objects.filter(author__username="Saleem").order_by("pk").first()
    thread = quoted.thread

    # Saleem watches the thread, with e-mail.
    log_in(page, "Saleem", "demo")
    page.goto(thread.get_absolute_url())
    page.locator(".thread-tools__watch").click()
    page.get_by_label("Also send me an e-mail when someone replies").check()
    page.get_by_role("button", name=re.compile("Watch thread|Save")).click()
    expect(page.locator(".thread-tools__watch")).to_have_text(
        "Watching (with e-mail) · Unwatch"
    )

    # Windjammer quotes him and mentions Desert Hawk through the picker.
    writer = _member_page(browser, live_server, "Windjammer")
    writer.goto(thread.get_absolute_url())
    writer.locator(f"#post-{quoted.pk}").get_by_role("link", name="Quote").click()
    editor = writer.locator(".reply-box textarea")
    expect(editor).to_have_value(re.compile(rf'\[QUOTE="Saleem, post: {quoted.pk}'))
    editor.press("End")
    editor.type("\nQuite right. What do you make of it, @Des")
    option = writer.get_by_role("option", name="Desert Hawk")
    expect(option).to_be_visible()
    editor.press("Enter")
    expect(editor).to_have_value(re.compile(r'@"Desert Hawk" $'))
    editor.type("?")
    writer.get_by_role("button", name="Post reply").click()
    reply = writer.locator("article.message").last
    mention = reply.get_by_role("link", name="@Desert Hawk")
    expect(mention).to_have_attribute("href", re.compile(r"^/members/\d+/$"))
    answer = Post.objects.filter(author__username="Windjammer").latest("pk")

    # The worker writes the alerts, then, once the mail's wait is over, the mail.
    run_worker()
    let_time_pass()
    run_worker()
    run_worker()

    _sees_the_alert(page, "Windjammer quoted you in", answer)
    hawk = _member_page(browser, live_server, "Desert Hawk")
    _sees_the_alert(hawk, "Windjammer mentioned you in", answer)

    # The quoted post links back to the reply that quotes it.
    page.goto(thread.get_absolute_url())
    backlinks = page.locator(f"#post-{quoted.pk} .quoted-by")
    expect(backlinks).to_contain_text("Quoted by 1 post")
    expect(backlinks.get_by_role("link")).to_have_attribute(
        "href", f"/posts/{answer.pk}/"
    )

    # Saleem's mail: both parts, and an unsubscribe link that works in one click
    # from the mail program, with no session.
    [sent] = [m for m in mail.outbox if m.to == ["saleem@example.com"]]
    assert "Windjammer quoted you in" in sent.subject
    assert sent.alternatives and sent.alternatives[0][1] == "text/html"
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = sent.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith(live_server.url)
    one_click = urllib.request.Request(
        link,
        data=b"List-Unsubscribe=One-Click",
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(one_click, timeout=10) as response:  # noqa: S310
        assert response.status == 200
    watch = ThreadWatch.objects.get(user__username="Saleem", thread=thread)
    assert watch.email is False
    page.goto(thread.get_absolute_url())
    expect(page.locator(".thread-tools__watch")).to_have_text("Watching · Unwatch")
