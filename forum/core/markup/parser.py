"""The BBCode lexer and parser: source text to a tree of nodes, in linear time.

Tags are found with one regular expression; container tags become ``Node``s,
verbatim and registered tags become finished ``Leaf``s, and everything else is
text.  A tag the parser cannot make sense of (unknown, unbalanced, with a bad
option) stays in the tree as the literal text the member typed.  Mistakes in
tags it knows are collected in ``ParseResult.problems``; unknown tags and
brackets used as in ordinary writing ("[sic]", "a[i] = b[j]") are not.
Nothing here recurses over the input, so deeply nested tags cannot hit the
interpreter's recursion limit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from forum.core.markup import registry
from forum.core.markup.registry import Placeholder
from forum.core.markup.tags import (
    BUILTIN_TAGS,
    LINK_TAGS,
    VERBATIM,
    VERBATIM_WITHOUT_OPTION,
    Leaf,
    invalid_option_message,
    render_verbatim,
    unclosed_message,
    unquote,
    validate_option,
)

# Options stop at an unescaped '[' / ']' or a newline; the double-quoted form
# allows backslash escapes (quote_tag_for relies on them).  Neither form can
# run past the next '[', which keeps scanning a run of '[' linear.
_TAG_RE = re.compile(
    r"\[(?P<close>/)?(?P<name>\*|[A-Za-z][A-Za-z0-9]{0,19})"
    r"(?:=(?P<opt>\"(?:[^\"\\\n\[\]]|\\.){0,500}\"|[^\[\]\n]{0,2000}))?\]"
)


class Node:
    """An opened container tag; ``closed`` says whether it was balanced."""

    __slots__ = ("tag", "data", "raw", "start", "end", "children", "closed", "quiet")

    def __init__(self, tag: str, data: object, raw: str, start: int) -> None:
        self.tag = tag
        self.data = data
        self.raw = raw
        self.start = start
        self.end = start
        self.children: list[object] = []
        self.closed = False
        # Left unclosed, the tag is ordinary writing and not a problem.
        self.quiet = False


@dataclass
class ParseResult:
    root: Node
    problems: list[str]
    # (tag, option) of every registered tag that rendered, in source order.
    tag_values: list[tuple[str, str]]
    # The same for the tags outside any quote: what the writer wrote themselves
    # (a mention inside a quote is the quoted member's).
    own_tag_values: list[tuple[str, str]]
    # Source spans of quote tags that did not form a quote, for quote_tag_for.
    stray_quote_spans: list[tuple[int, int]]


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def normalise(source: str) -> str:
    # Control characters and lone surrogates are never useful in a post and
    # lone surrogates would break UTF-8 encoding of the page.
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_RE.sub("\ufffd", source)


def _reads_as_index(source: str, start: int, tag_end: int) -> bool:
    """Whether a tag at ``start`` is glued to the text before it, as in a[i].

    Code written without [code] (a[i], m[u][v], f(x)[b]) and plurals such as
    "friend[s]" use tag names as indexes; glued to a letter, digit, mark, "_",
    ")" or a "]" that ends no tag, an unclosed tag is taken to mean that.
    """
    if start == 0:
        return False
    before = source[start - 1]
    if before == "]":
        return start != tag_end
    return before in "_)" or unicodedata.category(before)[0] in "LNM"


def parse(source: str) -> ParseResult:
    """Parse BBCode into a tree of Node / Leaf / str, in linear time."""
    root = Node("", None, "", 0)
    root.closed = True
    stack = [root]
    open_counts: dict[str, int] = {}
    problems: list[str] = []
    tag_values: list[tuple[str, str]] = []
    own_tag_values: list[tuple[str, str]] = []
    registered = registry.registered_tags()
    stray_quote_spans: list[tuple[int, int]] = []
    # For each verbatim tag, a position after which no closing tag exists;
    # remembering it keeps repeated unclosed [code] tags linear.
    no_close_from: dict[str, int] = {}
    close_res: dict[str, re.Pattern[str]] = {}
    # Where the last tag the parser knows ended: "[b][i]" is markup, not an index.
    tag_end = -1

    def add_text(text: str) -> None:
        if text:
            stack[-1].children.append(text)

    def fail(node: Node) -> None:
        node.closed = False
        # An item is reported through its [list].
        if node.tag != "*" and not node.quiet:
            problems.append(unclosed_message(node.tag))
        if node.tag == "list":
            # Items of a list that is shown as text are text as well.
            for child in node.children:
                if isinstance(child, Node) and child.tag == "*":
                    child.closed = False
        if node.tag == "quote":
            stray_quote_spans.append((node.start, node.start + len(node.raw)))

    def pop(closed: bool, end: int) -> Node:
        node = stack.pop()
        open_counts[node.tag] -= 1
        node.end = end
        if closed:
            node.closed = True
        else:
            fail(node)
        return node

    def push(node: Node) -> None:
        stack[-1].children.append(node)
        stack.append(node)
        open_counts[node.tag] = open_counts.get(node.tag, 0) + 1

    pos = 0
    length = len(source)
    while pos < length:
        match = _TAG_RE.search(source, pos)
        if match is None:
            break
        add_text(source[pos : match.start()])
        pos = match.end()
        raw = match.group(0)
        tag = match["name"].lower()
        option = match["opt"]

        spec = registered.get(tag)
        if spec is None and tag not in BUILTIN_TAGS:
            # "[sic]", "[/foo]", a tag of an app not installed: the text the
            # member typed, as XenForo shows it, and nothing to complain about.
            add_text(raw)
            continue
        glued = _reads_as_index(source, match.start(), tag_end)
        tag_end = pos

        if match["close"]:
            if option is not None:
                add_text(raw)
                continue
            if tag == "*":
                if stack[-1].tag == "*":
                    pop(True, pos)
                else:
                    add_text(raw)
                continue
            if not open_counts.get(tag):
                if spec is not None and _ends_with_leaf_of(stack[-1], tag):
                    continue  # "[news=1][/news]": a registered tag may be closed
                problems.append(f"The closing tag [/{tag}] has no opening tag.")
                if tag == "quote":
                    stray_quote_spans.append((match.start(), pos))
                add_text(raw)
                continue
            while stack[-1].tag != tag:
                pop(stack[-1].tag == "*" and tag == "list", match.start())
            pop(True, pos)
            continue

        in_link = any(open_counts.get(t) for t in LINK_TAGS)

        if spec is not None:
            value = None if option is None else unquote(option).strip()
            end = pos
            if spec.content:
                closer = close_res.get(tag)
                if closer is None:
                    closer = re.compile(r"\[/" + tag + r"\]", re.IGNORECASE)
                    close_res[tag] = closer
                end_match = None
                if pos < no_close_from.get(tag, length + 1):
                    end_match = closer.search(source, pos)
                    if end_match is None:
                        no_close_from[tag] = pos
                if end_match is None or in_link:
                    # Unclosed, or a link inside a link: the text as typed.
                    problems.append(
                        unclosed_message(tag)
                        if end_match is None
                        else f"The [{tag}] tag cannot be used inside a link."
                    )
                    add_text(raw)
                    continue
                outcome = spec.handler(value, source[pos : end_match.start()])
                end = end_match.end()
            else:
                outcome = spec.handler(value)
            if isinstance(outcome, Placeholder):
                tag_values.append((tag, value or ""))
                if not open_counts.get("quote"):
                    own_tag_values.append((tag, value or ""))
                stack[-1].children.append(Leaf(outcome.html, spec.block, tag))
                pos = end
            else:
                problems.append(outcome.message)
                add_text(raw)
            continue

        if tag == "*":
            if stack[-1].tag == "*":
                pop(True, match.start())
            if stack[-1].tag == "list":
                push(Node("*", None, raw, match.start()))
            else:
                problems.append("The list item [*] is not inside a [list].")
                add_text(raw)
            continue

        if tag in VERBATIM or (tag in VERBATIM_WITHOUT_OPTION and option is None):
            if tag in LINK_TAGS and in_link:
                problems.append(f"The [{tag}] tag cannot be used inside another link.")
                add_text(raw)
                continue
            closer = close_res.get(tag)
            if closer is None:
                closer = re.compile(r"\[/" + tag + r"\]", re.IGNORECASE)
                close_res[tag] = closer
            end_match = None
            if pos < no_close_from.get(tag, length + 1):
                end_match = closer.search(source, pos)
                if end_match is None:
                    no_close_from[tag] = pos
            if end_match is None:
                problems.append(unclosed_message(tag))
                add_text(raw)
                continue
            content = source[pos : end_match.start()]
            leaf, problem = render_verbatim(tag, option, content)
            if leaf is None:
                if problem:
                    problems.append(problem)
                add_text(source[match.start() : end_match.end()])
            else:
                stack[-1].children.append(leaf)
            pos = end_match.end()
            continue

        # Container tags.
        if tag in LINK_TAGS and in_link:
            problems.append(f"The [{tag}] tag cannot be used inside another link.")
            add_text(raw)
            continue
        ok, data = validate_option(tag, option)
        if not ok:
            problems.append(invalid_option_message(tag, option))
            add_text(raw)
            continue
        node = Node(tag, data, raw, match.start())
        node.quiet = option is None and glued
        push(node)

    add_text(source[pos:])
    while len(stack) > 1:
        pop(False, length)
    return ParseResult(
        root, unique(problems), tag_values, own_tag_values, stray_quote_spans
    )


def _ends_with_leaf_of(node: Node, tag: str) -> bool:
    last = node.children[-1] if node.children else None
    return isinstance(last, Leaf) and last.tag == tag


def unique(items: list) -> list:
    return list(dict.fromkeys(items))
