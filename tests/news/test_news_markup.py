"""The [NEWS=id] tag, which forum.news adds to core's BBCode in its ready()."""

import pytest

from forum.core.markup import check_bbcode, registry, render_bbcode
from forum.news.markup import extract_news_ids


def test_news_tag_embeds_placeholder():
    assert render_bbcode("[NEWS=123]") == (
        '<div class="news-embed" data-news-id="123"></div>'
    )


def test_news_tag_with_explicit_close_is_accepted():
    assert render_bbcode("[news=7][/news]") == (
        '<div class="news-embed" data-news-id="7"></div>'
    )


def test_news_tag_without_digits_is_text():
    assert render_bbcode("[NEWS=abc]") == "[NEWS=abc]"


def test_news_tag_without_digits_says_what_it_needs():
    assert check_bbcode("[NEWS=abc]") == [
        "The [news] tag needs a numeric news id, like [NEWS=12]."
    ]


def test_extract_news_ids_in_order_and_unique():
    source = "[NEWS=5] text [news=2] [NEWS=5] [news=x] [code][news=9][/code]"
    assert extract_news_ids(source) == [5, 2]


@pytest.fixture
def without_news_app(monkeypatch):
    """The registry as it is in a project that does not install forum.news."""
    for name in ("_tags", "_classes", "_attributes"):
        kept = {k: v for k, v in getattr(registry, name).items() if k != "news"}
        monkeypatch.setattr(registry, name, kept)
    registry._rebuild()
    yield
    monkeypatch.undo()
    registry._rebuild()


def test_without_the_news_app_the_tag_reads_as_any_unknown_tag(without_news_app):
    assert render_bbcode("[NEWS=123]") == "[NEWS=123]"
    assert render_bbcode("[news=7][/news]") == "[news=7][/news]"
    unknown = [p.replace("foo]", "news]") for p in check_bbcode("[FOO=7][/foo]")]
    assert check_bbcode("[NEWS=7][/news]") == unknown
    assert extract_news_ids("[NEWS=5]") == []


def test_without_the_news_app_its_placeholder_markup_is_not_allowed(
    without_news_app, monkeypatch
):
    import forum.core.markup.renderer as renderer

    raw = '<div class="news-embed" data-news-id="3">x</div>'
    monkeypatch.setattr(renderer, "_assemble", lambda pieces: raw)
    assert render_bbcode("anything") == "<div>x</div>"
