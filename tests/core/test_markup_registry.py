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
