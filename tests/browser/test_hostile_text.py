"""Hostile text cannot widen the page: a 360 px phone never scrolls sideways."""

import io

from PIL import Image
from playwright.sync_api import expect

from accounts.services import update_profile
from tests import factories
from tests.browser.conftest import log_in

PHONE = {"width": 360, "height": 780}

LONG_URL = "https://example.com/" + "a" * 300 + "/" + "b" * 300 + "?q=" + "c" * 200
WS = "W" * 500
ZALGO = "".join(
    letter + "".join(chr(0x300 + (i * 7 + k) % 0x70) for k in range(30))
    for i, letter in enumerate("zalgo")
)
THAI_MARKS = "ก" + "\u0e49" * 59
RTL = "\u202e" + "txet desrever " + "R" * 300 + "\u202c and back"
WIDE_IMAGE = "https://images.example/wide.png"

HOSTILE = [
    LONG_URL,
    f"[url={LONG_URL}]{LONG_URL}[/url]",
    WS,
    ZALGO,
    THAI_MARKS,
    RTL,
    "[list][*]" + "L" * 400 + "[*]short[/list]",
    '[quote="' + "N" * 60 + ', post: 1, member: 1"]' + "Q" * 400 + "[/quote]",
    "[quote][quote][list][*]" + "D" * 400 + "[/list][/quote][/quote]",
    "[code]" + "c" * 400 + "\nx = 1[/code]",
    "[code=python]" + "p" * 400 + "[/code]",
    "[icode]" + "i" * 300 + "[/icode]",
    "[spoiler=" + "S" * 150 + "]" + "s" * 300 + "[/spoiler]",
    "[size=7]" + "Z" * 200 + "[/size]",
    "[center]" + "C" * 300 + "[/center]",
    f"[img]{WIDE_IMAGE}[/img]",
    "a[i] = b[j] " + "[sic]" * 80,
    # Every level of nesting indents: forty of them must not push text off.
    "[list][*]" * 40 + "deep " + "K" * 100 + "[/list]" * 40,
    "[spoiler]" * 40 + "hidden " + "H" * 100 + "[/spoiler]" * 40,
    "[quote]" * 5 + "[list=1][*]" * 10 + "Y" * 200 + "[/list]" * 10 + "[/quote]" * 5,
]


def _wide_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2400, 60), "#3366aa").save(out, format="PNG")
    return out.getvalue()


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_hostile_thread_fits_a_360px_phone(page):
    author = factories.MemberFactory(username="Widener", password="demo")
    update_profile(
        member=author,
        country="",
        location="W" * 50,
        website="",
        about="",
        signature=f"{LONG_URL} {WS[:300]} {THAI_MARKS}",
        theme="light",
        show_last_seen=True,
    )
    node = factories.ForumFactory(title="Sandbox" + "F" * 90)
    png = _wide_png()
    page.route(
        "https://images.example/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=png),
    )
    page.set_viewport_size(PHONE)

    log_in(page, "Widener", "demo")
    page.goto(node.get_absolute_url())
    page.get_by_role("link", name="Post thread").click()
    title = f"{ZALGO} {'W' * 120} {THAI_MARKS} {RTL[:40]}"
    page.get_by_label("Title").fill(title)
    page.get_by_label("Message").fill("\n\n".join(HOSTILE))
    page.get_by_role("button", name="Post thread").click()

    message = page.locator("article.message").first
    expect(message.locator(".message__body")).to_contain_text("W" * 100)
    image = message.locator("img.bb-img")
    image.scroll_into_view_if_needed()
    expect(image).to_be_visible()
    assert page_width(page) <= PHONE["width"]
    # Every box inside the post stays within the post, not only the page.
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.message *')]"
        ".filter(e => !e.parentElement.closest('pre'))"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert widest <= PHONE["width"]
    # A combining-mark tower was cut to a few marks per letter at write time.
    tallest = page.evaluate(
        """() => {
          let tallest = 0;
          for (const box of document.querySelectorAll('.page-title, .message')) {
            let run = 0;
            for (const ch of box.textContent) {
              if (/[\\p{Mn}\\p{Me}]/u.test(ch)) tallest = Math.max(tallest, ++run);
              else if (!/\\p{Cf}/u.test(ch)) run = 0;
            }
          }
          return tallest;
        }"""
    )
    assert tallest == 4
    thread_url = page.url

    for url in (node.get_absolute_url(), "/", author.get_absolute_url(), thread_url):
        page.goto(url)
        page.wait_for_load_state("load")
        assert page_width(page) <= PHONE["width"], url
