"""BBCode tags that apps above core add, filled in from their AppConfig.ready().

Core knows the XenForo formatting tags; a tag that means something only to one
app (``[NEWS=12]`` embeds an article) is registered by that app::

    register_tag(
        "news",
        news_placeholder,
        classes={"news-embed"},
        attributes={"div": {"data-news-id": is_news_id}},
    )

The handler receives the tag's option (quotes removed, stripped; ``None`` when
the tag has none) and returns a ``Placeholder`` with the HTML to put in the post,
or a ``Problem`` whose message the poster sees.  A registered tag has no content
and no closing tag (a closing tag right after it is accepted and ignored),
unless it is registered with ``content=True``: then it runs to its closing tag
(``[USER=3]Desert Hawk[/USER]``), what is between is taken as typed (no tags
inside), and the handler receives the option and that text.

The placeholder still goes through the sanitizer: the classes and attributes it
uses must be declared here, each attribute with a predicate on its value, and
only on elements the allow-list already permits.  A tag with content may be a
link around it (``<a href>``), only to a path on this site ("/members/3/"):
core checks that on top of the tag's own predicate.  A tag whose app is not
installed is never registered, so it reads like any unknown tag: as the text
the member typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from forum.core.markup.tags import BUILTIN_TAGS

__all__ = [
    "Placeholder",
    "Problem",
    "RegisteredTag",
    "register_tag",
]


@dataclass(frozen=True)
class Placeholder:
    """What a registered tag becomes: HTML that must pass the allow-list."""

    html: str


@dataclass(frozen=True)
class Problem:
    """Why a registered tag cannot be used as written; shown to the poster."""

    message: str


# (option) -> ..., or (option, content) -> ... for a tag registered with content.
TagHandler = Callable[..., Placeholder | Problem]
AttributeRule = Callable[[str], bool]


@dataclass(frozen=True)
class RegisteredTag:
    name: str
    handler: TagHandler
    block: bool
    content: bool = False


_NAME_RE = re.compile(r"[a-z][a-z0-9]{0,19}")
_CLASS_RE = re.compile(r"[a-z0-9-]{1,40}")
# Elements a placeholder may use; the sanitizer allows them already.
_PLACEHOLDER_ELEMENTS = frozenset({"div", "span"})
# A tag with content may be a link around it (a member's name).
_CONTENT_ELEMENTS = _PLACEHOLDER_ELEMENTS | {"a"}
# Only data-* attributes, and href on a link: anything else (handlers, style,
# ids) is for core to grant.
_ATTRIBUTE_RE = re.compile(r"data-[a-z0-9-]{1,40}")
# A link a placeholder may hold: a path on this site, nothing that leaves it
# ("//host", a scheme) or reads as anything but a path.
_SITE_PATH_RE = re.compile(r"/(?![/\\])[A-Za-z0-9/_.~-]{0,200}")

_tags: dict[str, RegisteredTag] = {}
_classes: dict[str, frozenset[str]] = {}
_attributes: dict[str, dict[str, dict[str, AttributeRule]]] = {}
# Derived views the sanitizer reads on every attribute; rebuilt on registration.
_all_classes: frozenset[str] = frozenset()
_all_attributes: dict[str, dict[str, AttributeRule]] = {}


def register_tag(
    name: str,
    handler: TagHandler,
    *,
    classes: Iterable[str] = (),
    attributes: Mapping[str, Mapping[str, AttributeRule]] | None = None,
    block: bool = True,
    content: bool = False,
) -> None:
    """Teach the BBCode renderer ``[name=option]``.

    ``classes`` are the class names the placeholder HTML uses, ``attributes``
    maps an element ("div" or "span") to its extra attributes and a predicate
    each value must satisfy.  ``block`` says whether the placeholder is a block
    (newlines hugging it are layout).  ``content`` makes it a tag that runs to
    its closing tag, its handler called as ``handler(option, text)``.
    Registering a name again replaces the
    earlier registration, so a repeated ready() is harmless.  Raises ValueError
    for a name core uses itself or for anything the allow-list must not grant.
    """
    if not _NAME_RE.fullmatch(name) or name in BUILTIN_TAGS:
        raise ValueError(f"[{name}] cannot be registered as a BBCode tag.")
    class_set = frozenset(classes)
    for value in class_set:
        # bb-* belongs to core's own tags.
        if not _CLASS_RE.fullmatch(value) or value.startswith("bb-"):
            raise ValueError(f"{value!r} cannot be a registered tag's class.")
    rules: dict[str, dict[str, AttributeRule]] = {}
    for element, element_rules in (attributes or {}).items():
        if element not in (_CONTENT_ELEMENTS if content else _PLACEHOLDER_ELEMENTS):
            raise ValueError(f"A placeholder cannot use <{element}>.")
        for attribute, rule in element_rules.items():
            link = element == "a" and attribute == "href"
            if not (link or _ATTRIBUTE_RE.fullmatch(attribute)) or not callable(rule):
                raise ValueError(f"{attribute!r} cannot be a placeholder attribute.")
            rules.setdefault(element, {})[attribute] = (
                _on_this_site(rule) if link else rule
            )
    _tags[name] = RegisteredTag(
        name=name, handler=handler, block=block, content=content
    )
    _classes[name] = class_set
    _attributes[name] = rules
    _rebuild()


def _on_this_site(rule: AttributeRule) -> AttributeRule:
    return lambda value: bool(_SITE_PATH_RE.fullmatch(value)) and bool(rule(value))


def _rebuild() -> None:
    global _all_classes, _all_attributes
    _all_classes = frozenset().union(*_classes.values())
    merged: dict[str, dict[str, AttributeRule]] = {}
    for rules in _attributes.values():
        for element, element_rules in rules.items():
            merged.setdefault(element, {}).update(element_rules)
    _all_attributes = merged


def registered_tags() -> dict[str, RegisteredTag]:
    """The registered tags by name (a copy: the parser reads it once per text)."""
    return dict(_tags)


def registered_classes() -> frozenset[str]:
    return _all_classes


def attribute_rule(element: str, attribute: str) -> AttributeRule | None:
    return _all_attributes.get(element, {}).get(attribute)
