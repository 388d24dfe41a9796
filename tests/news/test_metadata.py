"""Tests for article metadata extraction (no network, no database)."""

import datetime
import json
import time

import pytest

from forum.news.metadata import ArticleMeta, parse_article, truncate_words

BASE = "https://www.dailyledger.example/politics/2024/06/budget?id=7"


def page(head: str = "", body: str = "") -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


def ld(data) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


LONG_PARAGRAPH = " ".join(f"word{index}" for index in range(200))


# ---------------------------------------------------------------------------
# OpenGraph
# ---------------------------------------------------------------------------

OG_HEAD = """
<title>Senate passes budget | The Daily Ledger</title>
<meta property="og:title" content="Senate passes  budget after
  marathon session">
<meta property="og:site_name" content="The Daily Ledger">
<meta property="og:image" content="/images/senate.jpg">
<meta property="og:description" content="Lawmakers approved the plan.">
<meta property="og:url" content="https://dailyledger.example/p/123">
<meta property="article:published_time" content="2024-06-14T22:10:00+05:00">
<meta property="article:author" content="https://facebook.com/someone">
<meta name="author" content="By Sana Mir">
"""


def test_opengraph_page():
    html = page(OG_HEAD, "<article><p>ISLAMABAD: The Senate passed the budget.</p>")
    meta = parse_article(html, base_url=BASE)
    assert meta == ArticleMeta(
        headline="Senate passes budget after marathon session",
        publication="The Daily Ledger",
        author="Sana Mir",
        published=datetime.date(2024, 6, 14),
        dateline="Islamabad",
        image_url="https://www.dailyledger.example/images/senate.jpg",
        excerpt="Lawmakers approved the plan.",
        canonical_url="https://dailyledger.example/p/123",
    )


def test_opengraph_in_name_attribute():
    head = '<meta name="og:title" content="Named title">'
    assert parse_article(page(head), base_url=BASE).headline == "Named title"


def test_article_author_names_are_used():
    head = (
        '<meta property="article:author" content="Ali Raza">'
        '<meta property="article:author" content="Hina Shah">'
        '<meta name="author" content="Someone Else">'
    )
    assert parse_article(page(head), base_url=BASE).author == "Ali Raza, Hina Shah"


def test_twitter_card_fallback():
    head = """
    <meta name="twitter:card" content="summary_large_image">
    <meta name="twitter:title" content="Tweeted headline">
    <meta name="twitter:description" content="Tweeted summary.">
    <meta name="twitter:image" content="//cdn.example.net/t.png">
    """
    meta = parse_article(page(head), base_url=BASE)
    assert meta.headline == "Tweeted headline"
    assert meta.excerpt == "Tweeted summary."
    assert meta.image_url == "https://cdn.example.net/t.png"


# ---------------------------------------------------------------------------
# JSON-LD
# ---------------------------------------------------------------------------


def test_json_ld_news_article():
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Court rules on election petition",
        "author": [
            {"@type": "Person", "name": "Ayesha Khan"},
            {"@type": "Person", "name": "Bilal Ahmed"},
        ],
        "datePublished": "2024-02-01T09:00:00Z",
        "publisher": {"@type": "Organization", "name": "Capital Times"},
        "image": {"@type": "ImageObject", "url": "/img/court.jpg"},
        "description": "The bench reserved its judgment &amp; adjourned.",
        "mainEntityOfPage": {"@id": "https://capital.example/court"},
    }
    meta = parse_article(page(ld(data)), base_url=BASE)
    assert meta.headline == "Court rules on election petition"
    assert meta.author == "Ayesha Khan, Bilal Ahmed"
    assert meta.published == datetime.date(2024, 2, 1)
    assert meta.publication == "Capital Times"
    assert meta.image_url == "https://www.dailyledger.example/img/court.jpg"
    assert meta.excerpt == "The bench reserved its judgment & adjourned."
    assert meta.canonical_url == "https://capital.example/court"


def test_json_ld_beats_opengraph():
    data = {"@type": "Article", "headline": "From JSON-LD", "author": "Zara Q"}
    meta = parse_article(page(OG_HEAD + ld(data)), base_url=BASE)
    assert meta.headline == "From JSON-LD"
    assert meta.author == "Zara Q"
    # Fields JSON-LD lacks still come from OpenGraph.
    assert meta.publication == "The Daily Ledger"
    assert meta.image_url == "https://www.dailyledger.example/images/senate.jpg"


def test_json_ld_graph_with_references():
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": "#site", "name": "Not the headline"},
            {
                "@type": ["ReportageNewsArticle"],
                "headline": "Floods displace thousands",
                "author": {"@id": "#reporter"},
                "publisher": {"@id": "#org"},
                "image": [
                    "javascript:alert(1)",
                    {"@type": "ImageObject", "contentUrl": "https://img.example/f.jpg"},
                ],
                "datePublished": "2023-08-20",
            },
            {"@type": "Person", "@id": "#reporter", "name": "Omar Farooq"},
            {"@type": "NewsMediaOrganization", "@id": "#org", "name": "River Post"},
        ],
    }
    meta = parse_article(page(ld(data)), base_url=BASE)
    assert meta.headline == "Floods displace thousands"
    assert meta.author == "Omar Farooq"
    assert meta.publication == "River Post"
    assert meta.image_url == "https://img.example/f.jpg"
    assert meta.published == datetime.date(2023, 8, 20)


def test_json_ld_list_and_prefixed_type():
    data = [
        {"@type": "BreadcrumbList", "itemListElement": []},
        {"@type": "http://schema.org/NewsArticle", "headline": "Prefixed type"},
    ]
    assert parse_article(page(ld(data)), base_url=BASE).headline == "Prefixed type"


def test_json_ld_nested_main_entity():
    data = {
        "@type": "WebPage",
        "name": "Page name",
        "mainEntity": {"@type": "BlogPosting", "headline": "Nested post"},
    }
    assert parse_article(page(ld(data)), base_url=BASE).headline == "Nested post"


def test_json_ld_strings_are_cleaned():
    data = {
        "@type": "NewsArticle",
        "headline": "  Q&amp;A:\n  the   <em>new</em> cabinet ",
        "description": "<p>First.</p><p>Second.</p>",
    }
    meta = parse_article(page(ld(data)), base_url=BASE)
    assert meta.headline == "Q&A: the new cabinet"
    assert meta.excerpt == "First. Second."


def test_json_ld_wrapped_in_comment_with_raw_newline():
    raw = '<!--{"@type": "NewsArticle", "headline": "Line one\nline two"};-->'
    html = page(f'<script type="application/ld+json">{raw}</script>')
    assert parse_article(html, base_url=BASE).headline == "Line one line two"


@pytest.mark.parametrize(
    "script",
    [
        "{not json",
        "",
        "null",
        "42",
        '"just a string"',
        "[1, 2, 3]",
        '{"@type": 5, "headline": ["a", 3]}',
        '{"@type": "NewsArticle", "headline": {"x": 1}, "author": 7, "image": 9}',
        '{"@type": "NewsArticle", "datePublished": "yesterday", "publisher": []}',
        '{"@type": "NewsArticle", "author": [null, {"name": null}, {"@id": "#x"}]}',
        "[" * 50000 + "]" * 50000,
    ],
)
def test_garbage_json_ld_is_ignored(script):
    html = page(
        f'<title>Fallback title</title><script type="application/ld+json">{script}'
        "</script>"
    )
    meta = parse_article(html, base_url=BASE)
    assert meta.headline == "Fallback title"
    assert meta.publication == "dailyledger.example"


# ---------------------------------------------------------------------------
# Plain documents
# ---------------------------------------------------------------------------


def test_no_metadata_uses_title_and_paragraphs():
    body = """
    <nav><p>Home Politics World Business Sport Opinion</p></nav>
    <div class="story">
      <p>Share</p>
      <p>The first   real paragraph of
         the story has several words.</p>
      <script>var ad = "<p>not text at all, no really</p>";</script>
      <p>A second paragraph follows with <a href="/x">a link</a> inside it.</p>
    </div>
    <footer><p>Copyright the publisher, all rights reserved.</p></footer>
    """
    meta = parse_article(page("<title>Plain story</title>", body), base_url=BASE)
    assert meta.headline == "Plain story"
    assert meta.excerpt == (
        "The first real paragraph of the story has several words. "
        "A second paragraph follows with a link inside it."
    )
    assert meta.publication == "dailyledger.example"
    assert meta.author == ""
    assert meta.published is None
    assert meta.image_url == ""
    assert meta.canonical_url == BASE


def test_article_element_preferred_for_paragraphs():
    body = (
        "<div><p>Sidebar teaser text that is long enough to count here.</p></div>"
        "<article><p>Article body text that is long enough to count here.</p>"
        "</article>"
    )
    meta = parse_article(page("", body), base_url=BASE)
    assert meta.excerpt == "Article body text that is long enough to count here."


def test_h1_used_when_no_title():
    meta = parse_article(page("", "<h1>Only a heading</h1>"), base_url=BASE)
    assert meta.headline == "Only a heading"


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Budget passed | The Daily Ledger", "The Daily Ledger", "Budget passed"),
        ("Budget passed \u2013 The Daily Ledger", "The Daily Ledger", "Budget passed"),
        ("Budget passed - the daily ledger", "The Daily Ledger", "Budget passed"),
        ("The Daily Ledger | Budget passed", "The Daily Ledger", "Budget passed"),
        (
            "Pakistan - India talks resume",
            "The Daily Ledger",
            "Pakistan - India talks resume",
        ),
        ("Talks resume | World", "The Daily Ledger", "Talks resume | World"),
        ("Budget passed - Dailyledger", "", "Budget passed"),
    ],
)
def test_title_site_suffix(title, site, expected):
    head = f"<title>{title}</title>"
    if site:
        head += f'<meta property="og:site_name" content="{site}">'
    assert parse_article(page(head), base_url=BASE).headline == expected


def test_og_title_suffix_also_stripped():
    head = (
        '<meta property="og:title" content="Polls close | River Post">'
        '<meta property="og:site_name" content="River Post">'
    )
    assert parse_article(page(head), base_url=BASE).headline == "Polls close"


# ---------------------------------------------------------------------------
# Datelines
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "dateline"),
    [
        ("ISLAMABAD: The cabinet met on Tuesday to discuss things.", "Islamabad"),
        ("ISLAMABAD - The cabinet met on Tuesday to discuss things.", "Islamabad"),
        ("KARACHI:The port reopened after the strike ended today.", "Karachi"),
        ("NEW YORK (Reuters) - Stocks rose on Monday after the news.", "New York"),
        ("WASHINGTON, March 5 (AP) \u2014 The Senate voted on the bill.", "Washington"),
        ("D.I. KHAN: Police said the road was closed for repairs.", "D.I. Khan"),
        ("LAHORE \u2013 Heavy rain lashed the city through the night.", "Lahore"),
        ("The prime minister said: we will pass the budget soon.", ""),
        ("BREAKING: The assembly has been dissolved by decree today.", ""),
        ("PM Shehbaz said on Monday that talks would resume soon.", ""),
        ("US: talks went well, according to several officials present.", ""),
        ("ISLAMABAD-based analysts expect the budget to pass easily.", ""),
    ],
)
def test_dateline(paragraph, dateline):
    meta = parse_article(
        page("", f"<article><p>{paragraph}</p></article>"), base_url=BASE
    )
    assert meta.dateline == dateline


def test_dateline_from_description_when_no_paragraphs():
    head = '<meta name="description" content="PESHAWAR: Schools reopen on Monday.">'
    assert parse_article(page(head), base_url=BASE).dateline == "Peshawar"


# ---------------------------------------------------------------------------
# Excerpts
# ---------------------------------------------------------------------------


def test_excerpt_capped_on_word_boundary():
    body = f"<p>{LONG_PARAGRAPH}</p><p>{LONG_PARAGRAPH}</p>"
    meta = parse_article(page("", body), base_url=BASE)
    assert len(meta.excerpt) <= 500
    assert meta.excerpt.endswith("\u2026")
    words = meta.excerpt[:-1].split(" ")
    assert all(word.startswith("word") and word[4:].isdigit() for word in words)
    assert LONG_PARAGRAPH.startswith(meta.excerpt[:-1])


def test_excerpt_from_long_description_is_capped():
    head = f'<meta property="og:description" content="{LONG_PARAGRAPH}">'
    excerpt = parse_article(page(head), base_url=BASE).excerpt
    assert len(excerpt) <= 500 and excerpt.endswith("\u2026")


def test_truncate_words():
    assert truncate_words("short text", 500) == "short text"
    assert truncate_words("alpha beta gamma", 12) == "alpha beta\u2026"
    assert truncate_words("x" * 20, 10) == "x" * 9 + "\u2026"
    assert truncate_words("alpha, beta gamma", 10) == "alpha\u2026"


# ---------------------------------------------------------------------------
# URLs, publication, dates
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("https://cdn.example/a.jpg", "https://cdn.example/a.jpg"),
        ("/a.jpg", "https://www.dailyledger.example/a.jpg"),
        ("a.jpg", "https://www.dailyledger.example/politics/2024/06/a.jpg"),
        ("//cdn.example/a.jpg", "https://cdn.example/a.jpg"),
        ("javascript:alert(1)", ""),
        ("data:image/png;base64,AAAA", ""),
        ("ftp://cdn.example/a.jpg", ""),
        ("http://[::1", ""),
    ],
)
def test_image_url(image, expected):
    head = f'<meta property="og:image" content="{image}">'
    assert parse_article(page(head), base_url=BASE).image_url == expected


def test_image_falls_back_past_bad_candidates():
    head = (
        '<meta property="og:image" content="javascript:alert(1)">'
        '<meta name="twitter:image" content="/good.png">'
    )
    assert (
        parse_article(page(head), base_url=BASE).image_url
        == "https://www.dailyledger.example/good.png"
    )


def test_canonical_link():
    head = '<link rel="canonical" href="/politics/budget">'
    assert (
        parse_article(page(head), base_url=BASE).canonical_url
        == "https://www.dailyledger.example/politics/budget"
    )


def test_publication_falls_back_to_host():
    assert parse_article("", base_url="https://www.dawn.com/news/1").publication == (
        "dawn.com"
    )
    assert parse_article("", base_url="http://news.bbc.co.uk/x").publication == (
        "news.bbc.co.uk"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", datetime.date(2024, 3, 5)),
        ("2024-03-05T23:30:00-05:00", datetime.date(2024, 3, 5)),
        ("2024-03-05T01:00:00Z", datetime.date(2024, 3, 5)),
        ("2024-03-05T10:00:00.123+0500", datetime.date(2024, 3, 5)),
        ("2024/03/05 10:00", datetime.date(2024, 3, 5)),
        ("Tue, 05 Mar 2024 10:00:00 GMT", datetime.date(2024, 3, 5)),
        ("2024-13-45", None),
        ("last Tuesday", None),
        ("", None),
    ],
)
def test_published_date(value, expected):
    head = f'<meta property="article:published_time" content="{value}">'
    assert parse_article(page(head), base_url=BASE).published == expected


def test_published_from_time_element():
    body = '<article><time datetime="2022-11-09T08:00">Nov 9</time></article>'
    assert parse_article(page("", body), base_url=BASE).published == datetime.date(
        2022, 11, 9
    )


# ---------------------------------------------------------------------------
# Robustness
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<",
        "<<<>>>",
        "\x00\x01\x02",
        "<html><head><title>",
        "<!-- never closed",
        "<![CDATA[ odd",
        "<p>" * 5000,
        "</p></div></body></html>",
        '<meta property="og:image" content>',
        '<meta property="og:title" content="">',
        "<script type='application/ld+json'>{{{",
        "<title>a</title>" * 3 + "<svg><title>icon</title></svg>",
        '<link rel="canonical" href="javascript:void(0)">',
        "<html><body><p>\ud800 lone surrogate</p></body></html>",
    ],
)
def test_never_raises(html):
    meta = parse_article(html, base_url=BASE)
    assert isinstance(meta, ArticleMeta)
    assert meta.publication == "dailyledger.example"
    assert meta.canonical_url.startswith("https://")


@pytest.mark.parametrize("base_url", ["", "not a url", "http://[::1", "ftp://x/"])
def test_odd_base_urls(base_url):
    meta = parse_article(page(OG_HEAD), base_url=base_url)
    assert meta.headline == "Senate passes budget after marathon session"
    assert not meta.image_url or meta.image_url.startswith("http")


def test_bytes_input_is_tolerated():
    html = page("<title>Bytes</title>").encode()
    assert parse_article(html, base_url=BASE).headline == "Bytes"


def test_json_ld_type_attribute_variants():
    data = json.dumps({"@type": "NewsArticle", "headline": "Variant"})
    for opening in (
        "<SCRIPT TYPE='application/ld+json'>",
        '<script id="schema" type="application/ld+json; charset=utf-8">',
        "<script type=application/ld+json>",
    ):
        html = page(f"{opening}{data}</script>")
        assert parse_article(html, base_url=BASE).headline == "Variant"


def test_other_scripts_are_not_json_ld():
    data = json.dumps({"@type": "NewsArticle", "headline": "Hidden"})
    html = page(f'<title>Shown</title><script type="text/javascript">{data}</script>')
    assert parse_article(html, base_url=BASE).headline == "Shown"


def test_huge_page_keeps_json_ld_at_the_end():
    filler = "<div><span>filler text</span></div>" * 60_000
    data = {"@type": "NewsArticle", "headline": "Found at the end"}
    html = page("<title>Start</title>", filler + ld(data))
    assert parse_article(html, base_url=BASE).headline == "Found at the end"


@pytest.mark.parametrize(
    "html",
    [
        "<p>" * 700_000,
        "<div>" * 400_000,
        "<a href=x>" * 200_000,
        # html.parser rescans to the end of input for each unterminated
        # opener; unguarded, these take minutes.
        "<a " * 50_000,
        "<a x='" * 50_000,
        "<!---" * 50_000,
        "<![CDATA[ ]>" * 50_000 + ">",
        "<script" * 300_000,
        '<script type="application/ld+json">' * 50_000,
        "<p>&#12" * 200_000,
    ],
    ids=[
        "nested-p",
        "nested-div",
        "nested-a",
        "open-tags",
        "open-quotes",
        "open-comments",
        "open-cdata",
        "open-script",
        "unclosed-ld",
        "charrefs",
    ],
)
def test_hostile_markup_is_handled_quickly(html):
    # Processor time, not the clock: unguarded these take minutes of it, while a
    # busy machine stretches the clock of a guarded parse past any fixed limit.
    started = time.process_time()
    meta = parse_article(html, base_url=BASE)
    assert meta.publication == "dailyledger.example"
    assert time.process_time() - started < 8
