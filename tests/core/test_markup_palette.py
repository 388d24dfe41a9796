"""[COLOR] and [FONT] as classes: every class the renderer can write is defined
in the stylesheet every page loads, with the colour the member typed (or one
close to it)."""

import re

import pytest
from django.urls import reverse

from forum.core.markup import palette, render_bbcode

CSS = palette.STYLESHEET.read_text(encoding="utf-8")
RULES = dict(re.findall(r"^\.(bb-[a-z0-9-]+) \{ (.*?); \}$", CSS, re.M))


def rendered_class(source: str) -> str:
    return re.fullmatch(r'<span class="([^"]+)">x</span>', render_bbcode(source))[1]


def test_the_stylesheet_is_the_one_the_palette_writes():
    assert CSS == palette.stylesheet(), (
        "static/css/bbcode.css is stale: run python -c "
        '"from forum.core.markup.palette import write_stylesheet; write_stylesheet()"'
    )


@pytest.mark.parametrize("name", sorted(palette.NAMED_COLORS))
def test_every_colour_name_has_its_exact_colour(name):
    css_class = rendered_class(f"[color={name}]x[/color]")
    assert RULES[css_class] == f"color: #{palette.NAMED_COLORS[name]}"


def _channels(hex_digits: str) -> list[int]:
    return [int(hex_digits[i : i + 2], 16) for i in (0, 2, 4)]


@pytest.mark.parametrize("step", range(0, 256, 7))
def test_a_hex_colour_is_shown_within_25_of_what_was_typed(step):
    for typed in (
        f"{step:02x}{255 - step:02x}{(step * 3) % 256:02x}",
        f"{step:02x}{step:02x}{step:02x}",
    ):
        css_class = rendered_class(f"[color=#{typed}]x[/color]")
        shown = re.fullmatch(r"color: #([0-9a-f]{3})", RULES[css_class])[1]
        shown_channels = _channels("".join(d * 2 for d in shown))
        assert all(
            abs(a - b) <= 25
            for a, b in zip(_channels(typed), shown_channels, strict=True)
        ), (typed, shown)


@pytest.mark.parametrize("font", sorted(palette.FONTS))
def test_every_font_on_the_list_has_its_family(font):
    css_class = rendered_class(f"[font={font}]x[/font]")
    assert RULES[css_class] == f"font-family: {palette.FONTS[font]}"


def test_every_page_loads_the_stylesheet(client, db):
    page = client.get(reverse("threads:index")).content.decode()
    assert '<link rel="stylesheet" href="/static/css/bbcode.css">' in page
