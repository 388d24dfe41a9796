"""Combining-mark floods ("Zalgo") are trimmed; real writing is left intact."""

import unicodedata

import pytest

from forum.core.markup import render_bbcode
from forum.core.text import (
    MAX_COMBINING_MARKS,
    limit_combining_marks,
    limit_combining_marks_in_html,
)

REAL_WRITING = {
    "thai": "ขอบคุณที่ช่วยเหลือ น้ำใจดีมาก ปั๊มน้ำมัน กี่โมงแล้ว",
    "devanagari": "संस्कृतम् हिन्दी क्षत्रिय ज़िंदगी कृँ",
    "arabic with harakat": "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ",
    "vietnamese composed": "Tiếng Việt rất đẹp, người Hà Nội",
    "vietnamese decomposed": unicodedata.normalize(
        "NFD", "Tiếng Việt rất đẹp, người Hà Nội"
    ),
    "hebrew with niqqud and cantillation": "בְּרֵאשִׁ֖ית בָּרָ֣א אֱלֹהִ֑ים",
    "tibetan stacks": "བསྒྲུབས་པ། སྐྱེས་བུ།",
    "tamil": "கொழும்பு",
    "emoji sequences": "👍🏽 1️⃣ 👩‍👩‍👧 🏳️‍🌈",
}

THAI_FLOOD = "ก" + "\u0e49" * 60
ZALGO = "".join(
    letter + "".join(chr(0x300 + (i * 7 + k) % 0x70) for k in range(25))
    for i, letter in enumerate("zalgo")
)


def longest_mark_run(text: str) -> int:
    run = longest = 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me"):
            run += 1
            longest = max(longest, run)
        elif unicodedata.category(ch) != "Cf":
            run = 0
    return longest


def base_letters(text: str) -> str:
    return "".join(ch for ch in text if not unicodedata.category(ch).startswith("M"))


@pytest.mark.parametrize("text", REAL_WRITING.values(), ids=REAL_WRITING.keys())
def test_real_writing_keeps_every_mark(text):
    assert limit_combining_marks(text) == text
    assert render_bbcode(text) == text


@pytest.mark.parametrize("flood", [ZALGO, THAI_FLOOD], ids=["zalgo", "thai"])
def test_a_flood_keeps_its_letters_and_only_a_few_marks_each(flood):
    limited = limit_combining_marks(flood)
    assert longest_mark_run(flood) > 20
    assert longest_mark_run(limited) == MAX_COMBINING_MARKS
    assert base_letters(limited) == base_letters(flood)


def test_the_first_marks_are_the_ones_kept():
    assert limit_combining_marks("e" + "\u0301\u0302\u0303\u0304\u0305\u0306") == (
        "e\u0301\u0302\u0303\u0304"
    )


def test_invisible_joiners_cannot_stretch_a_tower():
    sneaky = "a" + "\u0301\u200d" * 30
    assert longest_mark_run(limit_combining_marks(sneaky)) == MAX_COMBINING_MARKS


def test_rendered_post_is_limited_across_formatting_tags():
    html = render_bbcode("a" + "[b]\u0301\u0301\u0301[/b]" * 10 + " " + ZALGO)
    text_only = "".join(part.split(">")[-1] for part in html.split("<"))
    assert longest_mark_run(text_only) == MAX_COMBINING_MARKS
    assert html.count("<strong>") == 10
    assert base_letters(text_only.split(" ")[-1]) == "zalgo"


def test_html_tags_and_entities_pass_through_untouched():
    html = '<a href="https://x.example/\u0301\u0301">t&amp;\u0301</a>'
    assert limit_combining_marks_in_html(html) == html
