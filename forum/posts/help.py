"""The "BBCode help" page's content: every tag the forum knows, with an example
rendered live by the real renderer (so the page can never disagree with posts)."""

from dataclasses import dataclass

from django.utils.safestring import mark_safe

from forum.core.markup import render_bbcode
from forum.core.markup.registry import registered_tags


@dataclass(frozen=True)
class Tag:
    name: str
    what: str
    example: str
    live: bool = True  # False: the example needs something of this forum's


TAGS = [
    Tag(
        "B, I, U, S",
        "Bold, italic, underlined, struck through.",
        "[B]bold[/B], [I]italic[/I], [U]underlined[/U], [S]struck[/S]",
    ),
    Tag(
        "COLOR",
        "Text colour: a name or #rrggbb.",
        "[COLOR=red]red[/COLOR] and [COLOR=#1e90ff]blue[/COLOR]",
    ),
    Tag("SIZE", "Text size, 1 to 7.", "[SIZE=2]small[/SIZE] [SIZE=5]large[/SIZE]"),
    Tag("FONT", "A font family.", "[FONT=Courier New]typewriter[/FONT]"),
    Tag(
        "URL",
        "A link, with or without its own text.",
        "[URL=https://example.com]a link[/URL] or [URL]https://example.com[/URL]",
    ),
    Tag("EMAIL", "An e-mail address.", "[EMAIL]someone@example.com[/EMAIL]"),
    Tag(
        "QUOTE",
        "A quotation; with a name, and a post number, it links back.",
        '[QUOTE="Windjammer"]Quoted words.[/QUOTE]',
    ),
    Tag(
        "SPOILER",
        "Hidden until clicked.",
        "[SPOILER=Ending]The butler did it.[/SPOILER]",
    ),
    Tag(
        "CODE",
        "Code, shown as typed; ICODE inside a line.",
        "[CODE]print('hello')[/CODE] and [ICODE]inline[/ICODE]",
    ),
    Tag("LIST", "A list; [LIST=1] numbers it.", "[LIST]\n[*]first\n[*]second\n[/LIST]"),
    Tag("LEFT, CENTER, RIGHT", "Alignment.", "[CENTER]centred[/CENTER]"),
    Tag(
        "IMG",
        "A picture from another site (https).",
        "[IMG]https://example.com/map.png[/IMG]",
        live=False,
    ),
    Tag("MEDIA", "A YouTube video.", "[MEDIA=youtube]dQw4w9WgXcQ[/MEDIA]", live=False),
    Tag(
        "ATTACH",
        "One of your post's attachments, at that spot (the rest show "
        "as a gallery under the post). The composer's Insert button writes it.",
        "[ATTACH=12]",
        live=False,
    ),
    Tag(
        "NEWS",
        "A quoted article's card (a link to the article alone on its "
        "line does the same).",
        "[NEWS=3]",
        live=False,
    ),
    Tag("@name", "Names a member, as typed.", "@Windjammer"),
]


def examples(tags: list[Tag]) -> list[dict]:
    """Each tag with its example's HTML; a tag an app did not register here
    (NEWS without the news app) is left out."""
    known = registered_tags()
    shown = []
    for tag in tags:
        if tag.name in ("ATTACH", "NEWS") and tag.name.lower() not in known:
            continue
        html = mark_safe(render_bbcode(tag.example)) if tag.live else ""  # noqa: S308
        shown.append({"tag": tag, "html": html})
    return shown
