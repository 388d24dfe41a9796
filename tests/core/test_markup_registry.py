"""Tags that apps add to core's BBCode through the markup registry."""

import re

import pytest

import forum.core.markup.renderer as renderer
from forum.core.markup import (
    Placeholder,
    Problem,
    check_bbcode,
    extract_tag_values,
    register_tag,
    registry,
    render_bbcode,
)


def _box(option):
    if option is None or not re.fullmatch(r"\d{1,3}", option):
        return Problem("The [box] tag needs a number, like [BOX=3].")
    return Placeholder(f'<span class="demo-box" data-box="{int(option)}"></span>')


@pytest.fixture
def box_tag(monkeypatch):
    """A registered [box=N] tag, removed again after the test."""
    for name in ("_tags", "_classes", "_attributes"):
        monkeypatch.setattr(registry, name, dict(getattr(registry, name)))
    register_tag(
        "box",
        _box,
        classes={"demo-box"},
        attributes={"span": {"data-box": lambda v: v.isdigit()}},
        block=False,
    )
    yield
    monkeypatch.undo()
    registry._rebuild()


def test_registered_tag_renders_its_placeholder(box_tag):
    assert render_bbcode("a [BOX=12] b") == (
        'a <span class="demo-box" data-box="12"></span> b'
    )
    assert check_bbcode("a [BOX=12] b") == []


def test_registered_tag_refused_by_its_handler_is_text_with_its_message(box_tag):
    assert render_bbcode("[box=x]") == "[box=x]"
    assert check_bbcode("[box=x]") == ["The [box] tag needs a number, like [BOX=3]."]


def test_closing_tag_right_after_a_registered_tag_is_ignored(box_tag):
    assert render_bbcode("[box=1][/box]") == (
        '<span class="demo-box" data-box="1"></span>'
    )
    assert check_bbcode("[box=1][/box]") == []


def test_extract_tag_values_lists_rendered_options_once_in_order(box_tag):
    source = "[box=2] [box=1] [BOX=2] [box=x] [code][box=9][/code]"
    assert extract_tag_values(source, "box") == ["2", "1"]
    assert extract_tag_values(source, "other") == []


def test_tag_not_registered_is_shown_as_typed():
    assert render_bbcode("[box=12]") == "[box=12]"
    assert extract_tag_values("[box=12]", "box") == []


def test_allow_list_grants_only_what_the_registration_declares(box_tag, monkeypatch):
    raw = (
        '<span class="demo-box" data-box="1" data-other="2"></span>'
        '<span class="demo-box" data-box="javascript:alert(1)"></span>'
        '<div class="demo-box" data-box="1"></div>'
        '<span class="demo-other">x</span>'
    )
    monkeypatch.setattr(renderer, "_assemble", lambda pieces: raw)
    assert render_bbcode("anything") == (
        '<span class="demo-box" data-box="1"></span>'
        '<span class="demo-box"></span>'
        '<div class="demo-box"></div>'
        "<span>x</span>"
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": "b"},
        {"name": "url"},
        {"name": "*"},
        {"name": "Box"},
        {"name": "x" * 21},
        {"classes": {"bb-quote"}},
        {"classes": {"Evil Class"}},
        {"attributes": {"script": {"data-x": str.isdigit}}},
        {"attributes": {"a": {"data-x": str.isdigit}}},
        {"attributes": {"span": {"onclick": str.isdigit}}},
        {"attributes": {"span": {"href": str.isdigit}}},
        {"attributes": {"span": {"style": str.isdigit}}},
        {"attributes": {"span": {"data-x": "not callable"}}},
    ],
)
def test_registration_that_would_widen_the_allow_list_is_refused(kwargs, monkeypatch):
    for name in ("_tags", "_classes", "_attributes"):
        monkeypatch.setattr(registry, name, dict(getattr(registry, name)))
    arguments = {"name": "box", "handler": _box, **kwargs}
    with pytest.raises(ValueError):
        register_tag(**arguments)
    assert "box" not in registry.registered_tags()


def _member(option, content):
    if option is None or not option.isdigit() or not content.strip():
        return Problem("The [member] tag needs a member id, like [MEMBER=3].")
    name = content.strip().replace("&", "&amp;").replace("<", "&lt;")
    return Placeholder(
        f'<a href="/people/{int(option)}/" class="demo-member" '
        f'data-member="{int(option)}">@{name}</a>'
    )


@pytest.fixture
def member_tag(monkeypatch):
    """A registered [member=N]name[/member] tag with content, linking on site."""
    for name in ("_tags", "_classes", "_attributes"):
        monkeypatch.setattr(registry, name, dict(getattr(registry, name)))
    register_tag(
        "member",
        _member,
        classes={"demo-member"},
        attributes={
            "a": {
                "href": lambda v: re.fullmatch(r"/people/\d+/", v) is not None,
                "data-member": lambda v: v.isdigit(),
            }
        },
        block=False,
        content=True,
    )
    yield
    monkeypatch.undo()
    registry._rebuild()


def test_a_tag_with_content_renders_the_handlers_link(member_tag):
    assert render_bbcode("hi [MEMBER=3]Desert Hawk[/MEMBER]!") == (
        'hi <a href="/people/3/" class="demo-member" data-member="3">@Desert Hawk</a>!'
    )
    assert check_bbcode("[member=3]x[/member]") == []


def test_a_tag_with_content_takes_what_is_inside_as_typed(member_tag):
    html = render_bbcode("[member=3][b]<x>[/member]")
    assert "@[b]&lt;x&gt;</a>" in html


def test_an_unclosed_tag_with_content_is_text_and_a_problem(member_tag):
    assert render_bbcode("[member=3]Desert Hawk") == "[member=3]Desert Hawk"
    assert check_bbcode("[member=3]Desert Hawk") == [
        "The [member] tag is opened but never closed."
    ]


def test_a_tag_with_content_inside_a_link_is_text(member_tag):
    html = render_bbcode("[url=https://example.com][member=3]x[/member][/url]")
    assert "demo-member" not in html


def test_a_registered_link_may_only_point_at_a_path_on_this_site(monkeypatch):
    for name in ("_tags", "_classes", "_attributes"):
        monkeypatch.setattr(registry, name, dict(getattr(registry, name)))
    register_tag(
        "away",
        lambda option, content: Placeholder(
            f'<a href="{option}" class="demo-away">{content}</a>'
        ),
        classes={"demo-away"},
        attributes={"a": {"href": lambda v: True}},
        block=False,
        content=True,
    )
    try:
        assert 'href="/people/3/"' in render_bbcode("[away=/people/3/]x[/away]")
        for target in ("//evil.example/", "/\\evil.example", "javascript:alert(1)"):
            html = render_bbcode(f"[away={target}]x[/away]")
            assert "href" not in html, target
    finally:
        monkeypatch.undo()
        registry._rebuild()


def test_tags_inside_quotes_are_told_apart_from_the_writers_own(member_tag):
    source = '[QUOTE="A, post: 1"][member=1]a[/member][/QUOTE] [member=2]b[/member]'
    assert extract_tag_values(source, "member") == ["1", "2"]
    assert extract_tag_values(source, "member", outside_quotes=True) == ["2"]


def test_only_links_and_data_attributes_may_be_registered():
    with pytest.raises(ValueError):
        register_tag("bad", _box, attributes={"span": {"href": lambda v: True}})
    with pytest.raises(ValueError):
        register_tag(
            "bad", _member, content=True, attributes={"a": {"onclick": str.isdigit}}
        )
