"""The words of a generated board: lists of lines read from forum/devtools/corpus/
(loaded once, on first use), and what is written from them: post bodies (rendered
once into a pool), thread and forum titles, member names."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from html import escape
from pathlib import Path

from accounts.validators import username_skeleton
from forum.core.markup import quote_tag_for, render_bbcode

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"

# One pool body in about this many carries a sentence of topical_sentences.txt (the
# benchmark's search word; the file says why it is rare).
TOPICAL_SHARE = 0.015


@cache
def lines(name: str) -> tuple[str, ...]:
    """The entries of corpus/<name>.txt, in file order (the generator's seed picks
    from them by index): one a line; blank lines and "#" comments skipped."""
    text = (CORPUS_DIR / f"{name}.txt").read_text(encoding="utf-8")
    return tuple(
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


@cache
def pairs(name: str) -> tuple[tuple[str, str], ...]:
    """The entries of a file of "first | second" lines."""
    found = []
    for line in lines(name):
        first, second = line.split(" | ")
        found.append((first.strip(), second.strip()))
    return tuple(found)


def member_names(count: int, rng: random.Random, taken: set[str]) -> list[str]:
    """`count` names, none alike (by skeleton) to each other or to `taken`."""
    names = []
    seen = set(taken)
    while len(names) < count:
        first = rng.choice(lines("names_first"))
        second = rng.choice(lines("names_second"))
        style = rng.random()
        if style < 0.35:
            name = f"{first} {second}"
        elif style < 0.6:
            name = f"{first}{second}"
        elif style < 0.8:
            name = f"{first}_{rng.randint(1, 999)}"
        else:
            name = f"{second}{first}{rng.randint(10, 99)}"
        skeleton = username_skeleton(name)
        if skeleton in seen:
            # The combinations run out on very large boards: number the rest.
            name = f"{first}{second}{len(names)}"
            skeleton = username_skeleton(name)
            if skeleton in seen:
                continue
        seen.add(skeleton)
        names.append(name)
    return names


def _sentence(rng: random.Random) -> str:
    text = rng.choice(lines("sentences"))
    roll = rng.random()
    if roll < 0.12:
        words = text.split(" ")
        cut = rng.randint(2, min(5, len(words)))
        text = "[B]" + " ".join(words[:cut]) + "[/B] " + " ".join(words[cut:])
    elif roll < 0.18:
        text = f"[I]{text}[/I]"
    return text


def _link(rng: random.Random) -> str:
    site, section = rng.choice(pairs("news_sites"))
    slug = "-".join(rng.sample(lines("link_words"), 4))
    year, number = rng.randint(2019, 2025), rng.randint(1000, 99999)
    url = f"https://{site}/{section}/{year}/{slug}-{number}"
    if rng.random() < 0.5:
        return f"Source: {url}"
    return f"[URL={url}]{rng.choice(lines('link_texts'))}[/URL]"


def _body(rng: random.Random, *, topical: bool = False) -> str:
    target = rng.choice([250, 350, 400, 450, 500, 600, 750])
    paragraphs = [rng.choice(lines("topical_sentences"))] if topical else []
    length = 0
    while length < target:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
        paragraphs.append(paragraph)
        length += len(paragraph)
        roll = rng.random()
        if roll < 0.12 and len(paragraphs) > 1:
            items = rng.sample(lines("list_items"), rng.randint(2, 4))
            paragraphs.append(
                "[LIST]\n" + "\n".join(f"[*]{i}" for i in items) + "\n[/LIST]"
            )
            length += sum(len(i) for i in items)
        elif roll < 0.3:
            paragraphs.append(_link(rng))
            length += 60
    if rng.random() < 0.3:
        paragraphs.append(rng.choice(lines("sign_offs")))
    if topical:  # the topical sentence anywhere but always in the text
        paragraphs.insert(rng.randrange(len(paragraphs)), paragraphs.pop(0))
    return "\n\n".join(paragraphs)


# Placeholders rendered into each pool body's quote block once; every quoting post
# fills in its own name and ids by string replacement.
NAME_MARK = "Qqzqnameqzq"
_POST_MARK = "918273645501"
_MEMBER_MARK = "918273645502"


@dataclass
class Pool:
    bbcode: list[str]
    html: list[str]
    quote_bbcode: list[str]
    quote_html: list[str]

    def quoted(self, index: int, *, name: str, post_id: int, member_id: int):
        """BBCode and HTML of a quote of pool body `index` written by `name`."""
        post, member = str(post_id), str(member_id)
        bb = (
            self.quote_bbcode[index]
            .replace(NAME_MARK, name)
            .replace(_POST_MARK, post)
            .replace(_MEMBER_MARK, member)
        )
        html = (
            self.quote_html[index]
            .replace(NAME_MARK, escape(name))
            .replace(_POST_MARK, post)
            .replace(_MEMBER_MARK, member)
        )
        return bb, html


def make_pool(size: int, rng: random.Random) -> Pool:
    every = max(1, round(1 / TOPICAL_SHARE))
    bbcode = [_body(rng, topical=i % every == 0) for i in range(size)]
    html = [render_bbcode(text) for text in bbcode]
    quote_bbcode, quote_html = [], []
    for text in bbcode:
        # A member quotes the opening paragraph of the post they answer.
        excerpt = text.split("\n\n")[0]
        tag = quote_tag_for(
            username=NAME_MARK,
            post_id=int(_POST_MARK),
            member_id=int(_MEMBER_MARK),
            body=excerpt,
        )
        quote_bbcode.append(tag)
        quote_html.append(render_bbcode(tag))
    pool = Pool(bbcode, html, quote_bbcode, quote_html)
    # The shortcut is only valid while a quote renders on its own: check it.
    bb, rendered = pool.quoted(0, name="Check Name", post_id=12, member_id=34)
    if render_bbcode(bb + bbcode[1 % size]) != rendered + html[1 % size]:
        raise RuntimeError("The BBCode renderer no longer renders a quote on its own.")
    return pool


def forum_titles(count: int) -> list[tuple[str, str]]:
    titles = list(pairs("forums")[:count])
    for extra in range(len(titles), count):
        titles.append((f"Regional Desk {extra + 1}", "News and discussion by region."))
    return titles


def thread_title(rng: random.Random, moment: float) -> str:
    subject, angle = rng.choice(lines("subjects")), rng.choice(lines("angles"))
    roll = rng.random()
    if roll < 0.45:
        return f"{subject}: {angle}"
    if roll < 0.7:
        return f"{angle[0].upper()}{angle[1:]} — {subject}"
    if roll < 0.85:
        return f"{subject} ({datetime.fromtimestamp(moment, UTC).year})"
    return f"{subject}: {rng.choice(lines('questions'))}"
