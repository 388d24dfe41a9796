"""Behaviour of the BBCode renderer as a forum member sees it."""

import html as html_module
import re

import pytest

from forum.core.markup import (
    MAX_BODY_LENGTH,
    MAX_QUOTE_DEPTH,
    check_bbcode,
    extract_quoted_post_ids,
    quote_tag_for,
    render_bbcode,
)

LINK_ATTRS = 'rel="nofollow ugc noopener" target="_blank"'


def max_blockquote_depth(html: str) -> int:
    """Deepest nesting of <blockquote> elements in ``html``."""
    depth = deepest = 0
    for match in re.finditer(r"<(/?)blockquote\b", html):
        depth += -1 if match.group(1) else 1
        deepest = max(deepest, depth)
    return deepest


# --- basic formatting -------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("[b]bold[/b]", "<strong>bold</strong>"),
        ("[i]italic[/i]", "<em>italic</em>"),
        ("[u]under[/u]", "<u>under</u>"),
        ("[s]struck[/s]", "<s>struck</s>"),
        ("[B]upper[/B]", "<strong>upper</strong>"),
        ("[b][i]both[/i][/b]", "<strong><em>both</em></strong>"),
    ],
)
def test_simple_formatting_tags_render_as_html(source, expected):
    assert render_bbcode(source) == expected


def test_tag_names_are_case_insensitive_even_when_mixed():
    assert render_bbcode("[b]x[/B]") == "<strong>x</strong>"


def test_plain_text_is_escaped():
    assert render_bbcode("a < b & c > d") == "a &lt; b &amp; c &gt; d"


@pytest.mark.parametrize("typed", ["&lt;b&gt;", "&amp;", "&#60;", "&copy", "a & b"])
def test_typed_character_references_display_exactly_as_typed(typed):
    assert render_bbcode(typed) == html_module.escape(typed, quote=False)


def test_character_references_inside_code_display_as_typed():
    assert render_bbcode("[code]&lt;div&gt; &amp;[/code]") == (
        '<pre class="bb-code"><code>&amp;lt;div&amp;gt; &amp;amp;</code></pre>'
    )


def test_newlines_become_line_breaks():
    assert render_bbcode("one\ntwo\r\nthree") == "one<br>two<br>three"


def test_empty_source_renders_empty():
    assert render_bbcode("") == ""


# Colours and fonts are classes, never inline styles (the Content Security Policy
# blocks those); static/css/bbcode.css defines each class (markup/palette.py).
def test_color_names_keep_their_exact_colour_as_a_class():
    assert (
        render_bbcode("[color=red]r[/color]") == '<span class="bb-color-red">r</span>'
    )
    assert render_bbcode("[COLOR=DarkOliveGreen]g[/COLOR]") == (
        '<span class="bb-color-darkolivegreen">g</span>'
    )


@pytest.mark.parametrize(
    "option, css_class",
    [
        ("#FF8800", "bb-color-f90"),
        ("#ff0000", "bb-color-f00"),
        ("#f80", "bb-color-f90"),
        ("#1e90ff", "bb-color-39f"),
        ("rgb(255, 136, 0)", "bb-color-f90"),
        ("rgb(300,0,12)", "bb-color-f00"),
    ],
)
def test_hex_and_rgb_colours_take_the_nearest_of_216(option, css_class):
    assert render_bbcode(f"[color={option}]o[/color]") == (
        f'<span class="{css_class}">o</span>'
    )


def test_a_word_that_names_no_colour_keeps_the_text_uncoloured():
    assert render_bbcode("[color=reddish]x[/color] y") == "x y"


def test_invalid_color_is_shown_as_text():
    html = render_bbcode("[color=12px]x[/color]")
    assert "<span" not in html
    assert "[color=12px]x[/color]" in html


@pytest.mark.parametrize("size", range(1, 8))
def test_size_maps_to_css_class(size):
    assert render_bbcode(f"[size={size}]x[/size]") == (
        f'<span class="bb-size-{size}">x</span>'
    )


def test_size_out_of_range_is_shown_as_text():
    assert render_bbcode("[size=9]x[/size]") == "[size=9]x[/size]"


def test_font_from_safe_list_sets_a_font_class():
    html = render_bbcode("[font=Courier New]mono[/font]")
    assert html == '<span class="bb-font-courier-new">mono</span>'


def test_font_name_may_be_quoted_and_any_case():
    html = render_bbcode('[font="times new roman"]t[/font]')
    assert html == '<span class="bb-font-times-new-roman">t</span>'


def test_unknown_font_is_shown_as_text():
    assert render_bbcode("[font=Wingdings]x[/font]") == "[font=Wingdings]x[/font]"


# --- links and images -------------------------------------------------------


def test_url_tag_with_address_as_content_links_to_it():
    html = render_bbcode("[url]https://example.com/a?b=1&c=2[/url]")
    assert html == (
        f'<a href="https://example.com/a?b=1&amp;c=2" {LINK_ATTRS}>'
        "https://example.com/a?b=1&amp;c=2</a>"
    )


def test_url_tag_with_option_links_formatted_text():
    html = render_bbcode("[url=http://example.com]see [b]this[/b][/url]")
    assert html == (
        f'<a href="http://example.com" {LINK_ATTRS}>see <strong>this</strong></a>'
    )


def test_url_option_may_be_quoted():
    html = render_bbcode('[url="https://example.com/"]x[/url]')
    assert 'href="https://example.com/"' in html


def test_url_with_uppercase_scheme_is_accepted():
    html = render_bbcode("[url=HTTPS://example.com/]x[/url]")
    assert 'href="https://example.com/"' in html


def test_url_with_non_http_scheme_is_shown_as_text():
    html = render_bbcode("[url=ftp://example.com]x[/url]")
    assert "<a" not in html
    assert "[url=ftp://example.com]x[/url]" in html


def test_links_cannot_be_nested():
    html = render_bbcode("[url=http://a.com][url=http://b.com]x[/url][/url]")
    assert html.count("<a ") == 1
    assert "b.com" not in re.findall(r'href="([^"]*)"', html)[0]


def test_email_tags_make_mailto_links():
    assert render_bbcode("[email]me@example.com[/email]") == (
        '<a href="mailto:me@example.com" rel="nofollow ugc noopener">me@example.com</a>'
    )
    html = render_bbcode("[email=me@example.com]write me[/email]")
    assert 'href="mailto:me@example.com"' in html
    assert ">write me</a>" in html


def test_invalid_email_is_shown_as_text():
    assert render_bbcode("[email]not an address[/email]") == (
        "[email]not an address[/email]"
    )


def test_img_renders_lazy_image_without_referrer():
    assert render_bbcode("[img]https://example.com/cat.png[/img]") == (
        '<img src="https://example.com/cat.png" alt="" loading="lazy" '
        'referrerpolicy="no-referrer" class="bb-img">'
    )


def test_img_inside_url_makes_clickable_image():
    html = render_bbcode(
        "[url=https://example.com][img]https://x.org/i.png[/img][/url]"
    )
    assert html.startswith('<a href="https://example.com"')
    assert '<img src="https://x.org/i.png"' in html


def test_img_with_relative_address_is_shown_as_text():
    assert render_bbcode("[img]/media/x.png[/img]") == "[img]/media/x.png[/img]"


def test_bare_http_urls_in_text_become_links():
    html = render_bbcode("see https://example.org/page?x=1 now")
    assert html == (
        f'see <a href="https://example.org/page?x=1" {LINK_ATTRS}>'
        "https://example.org/page?x=1</a> now"
    )


def test_bare_url_leaves_surrounding_punctuation_outside_the_link():
    html = render_bbcode("(see http://a.com/wiki/X_(y)) or http://b.com/page.")
    assert 'href="http://a.com/wiki/X_(y)"' in html
    assert "</a>) or" in html
    assert 'href="http://b.com/page"' in html
    assert html.endswith("</a>.")


def test_bare_domains_without_scheme_are_not_linked():
    assert render_bbcode("visit example.com today") == "visit example.com today"


def test_bare_urls_inside_code_are_not_linked():
    html = render_bbcode("[code]https://example.org[/code] [icode]http://a.com[/icode]")
    assert "<a" not in html


def test_bare_url_inside_url_tag_is_not_linked_twice():
    html = render_bbcode("[url=https://a.com]https://b.com[/url]")
    assert html.count("<a ") == 1


# --- quotes -----------------------------------------------------------------


def test_quote_with_post_links_back_to_quoted_post():
    html = render_bbcode('[QUOTE="Alice, post: 12, member: 3"]Hello[/QUOTE]')
    assert html == (
        '<blockquote class="bb-quote" data-quote-post="12" data-quote-member="3">'
        '<div class="bb-quote-attribution"><a href="/posts/12/" '
        'class="bb-quote-link">Alice said:</a></div>'
        '<div class="bb-quote-body">Hello</div></blockquote>'
    )


def test_plain_quote_has_no_attribution():
    assert render_bbcode("[quote]words[/quote]") == (
        '<blockquote class="bb-quote"><div class="bb-quote-body">words</div>'
        "</blockquote>"
    )


def test_quote_with_name_attributes_without_link():
    html = render_bbcode("[quote=Bob]hi[/quote]")
    assert '<div class="bb-quote-attribution">Bob said:</div>' in html
    assert "<a" not in html


def test_quote_name_is_escaped_text():
    html = render_bbcode('[quote="<b>Eve</b>"]x[/quote]')
    assert "&lt;b&gt;Eve&lt;/b&gt; said:" in html


def test_quote_without_digits_in_post_keeps_it_in_the_name():
    html = render_bbcode('[quote="Bob, post: x1"]hi[/quote]')
    assert "data-quote-post" not in html
    assert "Bob, post: x1 said:" in html


def test_newlines_around_quote_tags_do_not_add_breaks():
    html = render_bbcode("before\n[quote]\ninside\n[/quote]\nafter")
    assert html == (
        'before<blockquote class="bb-quote"><div class="bb-quote-body">inside'
        "</div></blockquote>after"
    )


def test_quotes_nested_within_the_limit_all_render():
    source = "[quote]" * MAX_QUOTE_DEPTH + "x" + "[/quote]" * MAX_QUOTE_DEPTH
    html = render_bbcode(source)
    assert max_blockquote_depth(html) == MAX_QUOTE_DEPTH
    assert "x" in html


def test_quotes_nested_too_deep_are_dropped_from_html():
    depth = MAX_QUOTE_DEPTH + 3
    source = "[quote]" * depth + "deepest" + "[/quote]" * depth
    html = render_bbcode(source)
    assert max_blockquote_depth(html) == MAX_QUOTE_DEPTH
    assert "deepest" not in html
    assert "[quote]" not in html


def test_ten_thousand_nested_quotes_render_with_bounded_depth():
    source = "[quote]" * 10_000 + "core" + "[/quote]" * 10_000
    html = render_bbcode(source)
    assert max_blockquote_depth(html) <= MAX_QUOTE_DEPTH
    assert html.startswith("<blockquote")


def test_ten_thousand_unclosed_quotes_render_as_text():
    html = render_bbcode("[quote]" * 10_000)
    assert "<blockquote" not in html
    assert html.count("[quote]") == 10_000


# --- code -------------------------------------------------------------------


def test_code_contents_are_verbatim_and_not_parsed():
    html = render_bbcode("[code]if a < b:\n    print('[b]x[/b]')[/code]")
    assert html == (
        "<pre class=\"bb-code\"><code>if a &lt; b:\n    print('[b]x[/b]')</code></pre>"
    )


def test_code_strips_layout_newlines_and_keeps_inner_ones():
    html = render_bbcode("[code]\nline1\n\nline3\n[/code]\nafter")
    assert html == ('<pre class="bb-code"><code>line1\n\nline3</code></pre>after')


def test_code_with_language_shows_label():
    html = render_bbcode("[code=python]x = 1[/code]")
    assert '<div class="bb-code-lang">python</div>' in html
    assert '<pre class="bb-code"><code>x = 1</code></pre>' in html


def test_unclosed_code_is_shown_as_text():
    assert render_bbcode("[code]x") == "[code]x"


def test_icode_is_inline_and_verbatim():
    assert render_bbcode("run [icode]<b>[i]x[/i][/icode] now") == (
        'run <code class="bb-icode">&lt;b&gt;[i]x[/i]</code> now'
    )


# --- lists, alignment, spoilers ---------------------------------------------


def test_bullet_list_renders_items_without_stray_breaks():
    html = render_bbcode("[list]\n[*]one\n[*]two\n[/list]\nafter")
    assert html == '<ul class="bb-list"><li>one</li><li>two</li></ul>after'


def test_numbered_and_lettered_lists_use_ol():
    assert render_bbcode("[list=1][*]a[/list]") == (
        '<ol class="bb-list" type="1"><li>a</li></ol>'
    )
    assert render_bbcode("[list=a][*]a[/list]") == (
        '<ol class="bb-list" type="a"><li>a</li></ol>'
    )


def test_list_items_may_be_formatted_and_nested():
    html = render_bbcode("[list][*][b]x[/b][list][*]y[/list][/list]")
    assert html == (
        '<ul class="bb-list"><li><strong>x</strong><ul class="bb-list"><li>y</li>'
        "</ul></li></ul>"
    )


def test_list_item_outside_list_is_text():
    assert render_bbcode("[*] not a list") == "[*] not a list"


def test_unclosed_list_shows_items_as_text():
    html = render_bbcode("[list][*]a[*]b")
    assert "<ul" not in html and "<li" not in html
    assert html == "[list][*]a[*]b"


@pytest.mark.parametrize("align", ["left", "center", "right"])
def test_alignment_tags_wrap_in_div(align):
    assert render_bbcode(f"[{align}]x[/{align}]") == (
        f'<div class="bb-align-{align}">x</div>'
    )


def test_spoiler_hides_content_in_details():
    assert render_bbcode("[spoiler]secret[/spoiler]") == (
        '<details class="bb-spoiler"><summary>Spoiler</summary>'
        '<div class="bb-spoiler-body">secret</div></details>'
    )


def test_spoiler_with_title_shows_title_escaped():
    html = render_bbcode("[spoiler=Ending <3]x[/spoiler]")
    assert "<summary>Spoiler: Ending &lt;3</summary>" in html


# --- media ---------------------------------------------------------

EMBED = (
    '<div class="bb-media"><iframe '
    'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"'
)


def test_media_youtube_id_embeds_privacy_enhanced_player():
    html = render_bbcode("[media=youtube]dQw4w9WgXcQ[/media]")
    assert html.startswith(EMBED)
    assert 'loading="lazy"' in html
    assert "allowfullscreen" in html
    assert 'title="YouTube video"' in html
    assert html.endswith("</iframe></div>")


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ?t=10",
        "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
    ],
)
def test_media_accepts_full_youtube_urls(url):
    assert render_bbcode(f"[media=youtube]{url}[/media]").startswith(EMBED)
    assert render_bbcode(f"[media]{url}[/media]").startswith(EMBED)


@pytest.mark.parametrize(
    "source",
    [
        "[media=youtube]short[/media]",
        "[media=vimeo]dQw4w9WgXcQ[/media]",
        "[media=youtube]https://evil.example/watch?v=dQw4w9WgXcQ[/media]",
    ],
)
def test_unsupported_media_is_shown_as_text(source):
    html = render_bbcode(source)
    assert "<iframe" not in html
    assert "[/media]" in html


# --- unknown and unbalanced tags --------------------------------------------


def test_unknown_tags_stay_visible_as_text():
    assert render_bbcode("[foo]bar[/foo]") == "[foo]bar[/foo]"


def test_unclosed_tag_is_shown_as_text_and_content_still_renders():
    assert render_bbcode("[b]open [i]x[/i]") == "[b]open <em>x</em>"


def test_closing_tag_without_opening_is_text():
    assert render_bbcode("text[/b]") == "text[/b]"


def test_misnested_tags_keep_the_unbalanced_one_as_text():
    html = render_bbcode("[b][i]x[/b][/i]")
    assert html == "<strong>[i]x</strong>[/i]"


def test_square_brackets_in_prose_are_untouched():
    assert render_bbcode("array[0] and [1] and [ b ]") == ("array[0] and [1] and [ b ]")


def test_deep_formatting_nesting_does_not_break_rendering():
    html = render_bbcode("[b]" * 5000 + "x" + "[/b]" * 5000)
    assert "x" in html
    assert html.count("<strong>") <= 100


def test_render_never_raises_on_odd_input():
    for source in ["[", "]", "[/", "[=]", "[url=", "\ud800", "\x00[b]\x00", "[*]"]:
        assert isinstance(render_bbcode(source), str)


def test_body_at_maximum_length_renders():
    chunk = "Hello [b]world[/b] https://example.com/x\n[quote=A]q[/quote]\n"
    source = (chunk * (MAX_BODY_LENGTH // len(chunk) + 1))[:MAX_BODY_LENGTH]
    html = render_bbcode(source)
    assert html.count("<strong>") >= 500
    assert html.count("<blockquote") >= 500


# --- check_bbcode -----------------------------------------------------------


def test_check_accepts_well_formed_post():
    assert check_bbcode("[b]x[/b] [quote=A]y[/quote] [list][*]a[/list]") == []


def test_check_reports_unclosed_tag():
    assert check_bbcode("[b]never closed") == [
        "The [b] tag is opened but never closed."
    ]


def test_check_reports_closing_tag_without_opening():
    assert check_bbcode("x[/i]") == ["The closing tag [/i] has no opening tag."]


ORDINARY_WRITING = [
    "He said it was [sic] fine.",
    "a[i] = b[j]",
    "[/foo]",
    "[foo]x[/foo]",
    "m[u][v] = 0; f(x)[b] += 1",
    "arr[0][i] and x_[s]",
    "Bring your friend[s] along.",
    "[Editor's note: see below] and [1] and [] and [ ] and [=] and [[x]]",
    "Tags like [TODO] and [WIP], or [citation needed].",
]


@pytest.mark.parametrize("source", ORDINARY_WRITING)
def test_ordinary_writing_is_accepted_and_shown_as_typed(source):
    assert check_bbcode(source) == []
    assert render_bbcode(source) == html_module.escape(source, quote=False)


def test_unclosed_tag_after_another_tag_is_still_reported():
    assert check_bbcode("[b][i]x[/b]") == ["The [i] tag is opened but never closed."]


def test_unclosed_tag_after_a_space_is_still_reported():
    assert check_bbcode("This is [b]important") == [
        "The [b] tag is opened but never closed."
    ]


def test_glued_tag_that_is_closed_still_formats():
    assert render_bbcode("super[b]cali[/b]") == "super<strong>cali</strong>"


def test_check_reports_unsafe_link():
    problems = check_bbcode("[url=javascript:alert(1)]x[/url]")
    assert problems
    assert any("[url]" in p for p in problems)


def test_check_reports_deep_quotes():
    source = "[quote]" * 7 + "x" + "[/quote]" * 7
    problems = check_bbcode(source)
    assert any(
        p.startswith("Quotes are nested more than 5 levels deep") for p in problems
    )


def test_check_reports_unclosed_list_once_not_per_item():
    assert check_bbcode("[list][*]a[*]b") == [
        "The [list] tag is opened but never closed."
    ]


def test_check_reports_list_item_outside_list():
    assert check_bbcode("[*]x") == ["The list item [*] is not inside a [list]."]


def test_check_reports_invalid_image_and_unclosed_code():
    assert check_bbcode("[img]ftp://x/a.png[/img]") == [
        "The [img] tag must contain an http:// or https:// address."
    ]
    assert check_bbcode("[code]x") == ["The [code] tag is opened but never closed."]


def test_check_reports_each_problem_once():
    assert check_bbcode("[/b][/b][/b]") == ["The closing tag [/b] has no opening tag."]


def test_check_handles_ten_thousand_nested_quotes():
    problems = check_bbcode("[quote]" * 10_000 + "[/quote]" * 10_000)
    assert any("nested" in p for p in problems)


def test_check_reports_too_long_body():
    problems = check_bbcode("x" * (MAX_BODY_LENGTH + 1))
    assert any("too long" in p for p in problems)
    assert check_bbcode("x" * MAX_BODY_LENGTH) == []


# --- quote_tag_for and extraction -------------------------------------------


def test_quote_tag_for_builds_xenforo_quote():
    assert quote_tag_for(username="Alice", post_id=12, member_id=3, body="Hi") == (
        '[QUOTE="Alice, post: 12, member: 3"]Hi[/QUOTE]\n'
    )


def test_quote_tag_for_round_trips_into_linked_quote():
    source = quote_tag_for(username="Alice", post_id=12, member_id=3, body="Hi")
    html = render_bbcode(source + "My reply")
    assert '<a href="/posts/12/" class="bb-quote-link">Alice said:</a>' in html
    assert '<div class="bb-quote-body">Hi</div>' in html
    assert html.endswith("My reply")


def test_quote_tag_for_strips_nested_quotes():
    body = "[quote=Bob]old[/quote]\nnew words"
    source = quote_tag_for(username="Alice", post_id=1, member_id=2, body=body)
    assert source == '[QUOTE="Alice, post: 1, member: 2"]new words[/QUOTE]\n'


def test_quote_tag_for_drops_stray_quote_tags_that_would_break_the_quote():
    body = "a [/quote] b [quote] c"
    source = quote_tag_for(username="A", post_id=1, member_id=2, body=body)
    assert "[/quote]" not in source.lower().replace("[/quote]\n", "", 1)
    assert max_blockquote_depth(render_bbcode(source)) == 1


def test_quote_tag_for_keeps_quotes_shown_inside_code():
    body = "[code][quote]x[/quote][/code]"
    source = quote_tag_for(username="A", post_id=1, member_id=2, body=body)
    assert body in source


@pytest.mark.parametrize(
    "username", ['Jo "The Hammer"', "back\\slash", "[b]x[/b]", 'a"]x', "a, post: 9"]
)
def test_quote_tag_for_escapes_awkward_names_safely(username):
    source = quote_tag_for(username=username, post_id=5, member_id=7, body="hi")
    html = render_bbcode(source)
    assert 'data-quote-post="5"' in html
    assert 'data-quote-member="7"' in html
    assert html_module.escape(f"{username} said:", quote=False) in html
    assert extract_quoted_post_ids(source) == [5]


def test_extract_quoted_post_ids_in_order_and_unique():
    source = (
        '[QUOTE="A, post: 3, member: 1"]x[/QUOTE]'
        '[quote="B, post: 1, member: 2"][QUOTE="C, post: 2, member: 1"]y[/QUOTE]'
        "[/quote]"
        '[QUOTE="A, post: 3, member: 1"]again[/QUOTE][quote=D]no id[/quote]'
    )
    assert extract_quoted_post_ids(source) == [3, 1, 2]


def test_extract_quoted_post_ids_ignores_quotes_in_code_and_unclosed():
    source = '[code][QUOTE="A, post: 3"]x[/QUOTE][/code][QUOTE="B, post: 4"]open'
    assert extract_quoted_post_ids(source) == []
