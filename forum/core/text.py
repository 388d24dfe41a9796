"""Plain-text hygiene for what members write: combining-mark floods ("Zalgo").

A combining mark draws on the character before it, and marks stack: a letter
followed by a hundred of them is a tower that paints over the lines above and
below.  Real writing needs only a few per letter: Vietnamese stacks two (ệ
written as e + dot below + circumflex), Thai a vowel and a tone mark, Arabic a
shadda and a haraka, Devanagari a nukta and a nasal sign, Biblical Hebrew
niqqud plus a cantillation mark, Tibetan a subjoined consonant or two and a
vowel.  ``MAX_COMBINING_MARKS`` keeps the first four marks on each base
character and drops the rest.

What counts as a mark: Unicode categories Mn (nonspacing) and Me (enclosing),
the ones that draw on top of, under or around their base.  Mc (spacing
combining: most Indic vowel signs) takes its own width on the line, so it
cannot pile up; it counts as a new base, and Devanagari "कि" or Tamil "கொ"
never lose a sign.  Format characters (Cf: zero-width joiners, direction marks)
are invisible, so they neither count nor start a new base: interleaving them
cannot smuggle a longer tower through.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "MAX_COMBINING_MARKS",
    "limit_combining_marks",
    "limit_combining_marks_in_html",
]

MAX_COMBINING_MARKS = 4

_MARKS = frozenset({"Mn", "Me"})
_TAG_RE = re.compile(r"(<[^<>]*>)")


def _limit(text: str, run: int, limit: int) -> tuple[str, int]:
    """``text`` with marks beyond ``limit`` per base dropped; ``run`` carries over."""
    kept: list[str] = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in _MARKS:
            run += 1
            if run > limit:
                continue
        elif category != "Cf":
            run = 0
        kept.append(ch)
    return "".join(kept), run


def limit_combining_marks(text: str, limit: int = MAX_COMBINING_MARKS) -> str:
    """Keep at most ``limit`` combining marks on each base character of ``text``."""
    if text.isascii():
        return text
    return _limit(text, 0, limit)[0]


def limit_combining_marks_in_html(html: str, limit: int = MAX_COMBINING_MARKS) -> str:
    """The same for the text of an HTML fragment such as a rendered post.

    Tags are left alone and do not end a run: in the browser a mark after
    ``<b>`` still draws on the letter before it.  The text's entities stay
    escaped (``&amp;`` is ASCII and counts as a base, as the "&" it shows).
    """
    if html.isascii():
        return html
    out: list[str] = []
    run = 0
    for index, piece in enumerate(_TAG_RE.split(html)):
        if index % 2:  # a tag
            out.append(piece)
        elif piece.isascii():
            out.append(piece)
            run = 0 if piece else run
        else:
            limited, run = _limit(piece, run, limit)
            out.append(limited)
    return "".join(out)
