"""A newcomer's first minute, in real Chromium: sign up, verify, fill the profile,
upload an avatar, post, and see the full author card."""

import io
import re

from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from tests import factories
from tests.outbox import run_worker


def png_bytes() -> bytes:
    image = Image.new("RGB", (300, 200), (30, 120, 60))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_sign_up_verify_fill_profile_upload_avatar_post_and_see_the_card(page):
    node = factories.ForumFactory(title="Pakistan Affairs")
    opener = factories.MemberFactory(username="Windjammer")
    thread = factories.make_thread(author=opener, node=node, title="Budget week")

    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("Karachi Kite")
    page.get_by_label("Email").fill("kite@example.com")
    page.get_by_label("Password", exact=True).fill("a-long-pass-phrase-42")
    page.get_by_label("Password (again)").fill("a-long-pass-phrase-42")
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_text("Verify Your Email Address").first).to_be_visible()
    run_worker()  # the worker sends the mail the sign-up queued

    link = re.search(r"http://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    page.goto(link.group(0))
    page.locator("form button[type=submit]").last.click()
    if "/accounts/login/" in page.url:  # allauth asks to log in after confirming
        page.locator("input[name=login]").fill("Karachi Kite")
        page.locator("input[name=password]").fill("a-long-pass-phrase-42")
        page.locator("form button[type=submit]").last.click()

    page.goto("/account/profile")
    page.get_by_label("Country").select_option("PK")
    page.get_by_label("Location").fill("Karachi")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.get_by_text(re.compile("saved", re.I)).first).to_be_visible()

    page.goto("/account/avatar")
    page.get_by_label("Choose an image").set_input_files(
        files=[{"name": "me.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.get_by_role("button", name=re.compile("Upload|Save")).click()
    expect(page.get_by_text(re.compile("avatar", re.I)).first).to_be_visible()

    page.goto(thread.get_absolute_url())
    page.locator(".reply-box textarea").fill("Hello from Karachi, first post here.")
    page.get_by_role("button", name="Post reply").click()

    card = page.locator("article.message").last.locator(".author-card")
    expect(card.get_by_role("link", name="Karachi Kite").first).to_be_visible()
    expect(card.locator("img.avatar")).to_have_attribute("src", re.compile(r"\.webp$"))
    expect(card).to_contain_text("New Member")
    expect(card).to_contain_text("Joined")
    expect(card).to_contain_text("Messages")
    expect(card).to_contain_text("Reaction score")
    expect(card).to_contain_text("Pakistan")
    expect(card.locator("img.flag")).to_be_visible()
    expect(card).to_contain_text("Karachi")
