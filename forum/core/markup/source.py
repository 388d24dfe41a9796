"""Questions about BBCode source that need its structure but not its HTML.

What a poster should fix (``check_bbcode``), which posts a text quotes and
which registered tags it uses, and the text a Quote button puts in the reply
box (``quote_tag_for``).  Each parses the source once, in linear time.
"""

from __future__ import annotations

import re

from forum.core.markup.parser import Node, normalise, parse, unique
from forum.core.markup.tags import MAX_BODY_LENGTH, MAX_QUOTE_DEPTH

__all__ = [
    "check_bbcode",
    "extract_quoted_post_ids",
    "extract_tag_values",
    "quote_tag_for",
]


def _max_quote_depth(root: Node) -> int:
    deepest = 0
    stack: list[tuple[Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if node.tag == "quote" and node.closed:
            depth += 1
            deepest = max(deepest, depth)
        for child in node.children:
            if isinstance(child, Node):
                stack.append((child, depth))
    return deepest


def check_bbcode(source: str) -> list[str]:
    """List problems a poster should fix before posting; empty when fine.

    Reports unclosed tags, closing tags without an opening tag, invalid
    options or links, quotes nested deeper than ``MAX_QUOTE_DEPTH`` and bodies
    longer than ``MAX_BODY_LENGTH``.  Ordinary writing is never a problem:
    unknown tags ("[sic]", "[/foo]") and an unclosed tag glued to the word
    before it ("a[i] = b[j]", "friend[s]") are shown as typed.  Runs in
    linear time.
    """
    text = normalise(source)
    result = parse(text)
    problems = list(result.problems)
    if _max_quote_depth(result.root) > MAX_QUOTE_DEPTH:
        problems.append(
            f"Quotes are nested more than {MAX_QUOTE_DEPTH} levels deep; "
            "the deeper quotes will not be shown."
        )
    if len(text) > MAX_BODY_LENGTH:
        problems.append(
            f"The message is too long ({len(text):,} characters); "
            f"the maximum is {MAX_BODY_LENGTH:,}."
        )
    return problems


def _closed_quotes(root: Node) -> list[Node]:
    """Balanced quote nodes in source order."""
    found: list[Node] = []
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if node.tag == "quote" and node.closed:
            found.append(node)
        # Reversed so that popping visits children in document order.
        for child in reversed(node.children):
            if isinstance(child, Node):
                stack.append(child)
    return found


def extract_quoted_post_ids(source: str) -> list[int]:
    """Post ids named in ``[QUOTE="name, post: N, member: M"]`` tags.

    Only quotes that actually render (balanced, outside [code]) count.
    Returned in order of appearance, without duplicates.
    """
    result = parse(normalise(source))
    ids = [
        node.data.post
        for node in _closed_quotes(result.root)
        if node.data.post is not None
    ]
    return unique(ids)


def extract_tag_values(
    source: str, name: str, *, outside_quotes: bool = False
) -> list[str]:
    """Options of the registered ``[name=...]`` tags that render, in order.

    Tags inside [code] or refused by their handler do not count; each value
    appears once.  ``name`` is the tag's registered (lower-case) name.
    ``outside_quotes`` leaves out the tags inside a [QUOTE]: what the writer
    wrote themselves.
    """
    result = parse(normalise(source))
    values = result.own_tag_values if outside_quotes else result.tag_values
    return unique([value for tag, value in values if tag == name])


def _escape_quote_name(name: str) -> str:
    name = re.sub(r"[\x00-\x1f\x7f]+", " ", name).strip()
    return re.sub(r'([\\"\[\]])', r"\\\1", name)


def quote_tag_for(*, username: str, post_id: int, member_id: int, body: str) -> str:
    """The BBCode a Quote button puts in the reply box.

    Produces ``[QUOTE="name, post: 12, member: 3"]body[/QUOTE]`` followed by a
    newline.  Quotes inside ``body`` are removed (as XenForo does), including
    unbalanced quote tags that would otherwise close the new quote early.
    """
    text = normalise(body)
    result = parse(text)
    spans = [(node.start, node.end) for node in _closed_quotes(result.root)]
    spans.extend(result.stray_quote_spans)
    spans.sort()
    kept: list[str] = []
    cursor = 0
    for start, end in spans:
        if end <= cursor:
            continue  # nested inside a span already removed
        kept.append(text[cursor : max(cursor, start)])
        cursor = max(cursor, end)
    kept.append(text[cursor:])
    stripped = re.sub(r"\n{3,}", "\n\n", "".join(kept)).strip()
    name = _escape_quote_name(username)
    return (
        f'[QUOTE="{name}, post: {int(post_id)}, member: {int(member_id)}"]'
        f"{stripped}[/QUOTE]\n"
    )
