"""A realistic board at benchmark scale, bulk-loaded with PostgreSQL COPY.

`generate_board(spec)` builds members (verified e-mail, password "demo"), categories
and forums, threads spread unevenly over the forums (one holds most of them, one
only a handful), a few megathreads, posts with BBCode bodies that quote earlier posts
of their thread, and reactions. Then it fills the search vectors set-based, runs the
full recount (so every counter is exact) and ANALYZE.

Why it is fast:
- rows stream through COPY; nothing goes through the ORM one row at a time;
- post bodies come from a pool of a few hundred bodies rendered once; a quote is a
  pre-rendered block whose name, post and member ids are filled in by string
  replacement (`render_bbcode(post.body) == post.body_html` still holds);
- posts' secondary indexes and foreign keys are dropped for the load and rebuilt
  after it, in the same transaction (a failure rolls everything back);
- posts are copied into a temporary table, then moved into posts_post by one
  INSERT ... SELECT that computes the search vector on the way, so the million rows
  are written once, not written and then rewritten by an UPDATE.

Every sentence of generated text is written for this module.
"""

from __future__ import annotations

import json
import math
import random
import time
from array import array
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection, transaction

from accounts.validators import username_skeleton
from forum.core.markup import quote_tag_for, render_bbcode
from forum.posts.models import Post, Reaction, ReactionType
from forum.threads.models import Node, Thread, make_slug

PASSWORD = "demo"
# Generated members are recognised by their e-mail domain (--wipe removes them).
EMAIL_DOMAIN = "generated.example"

DEFAULT_REACTION_TYPES = [
    ("Like", "\U0001f44d", 1, 55),
    ("Love", "\u2764\ufe0f", 1, 12),
    ("Haha", "\U0001f602", 1, 12),
    ("Wow", "\U0001f62e", 1, 8),
    ("Sad", "\U0001f622", 0, 7),
    ("Angry", "\U0001f621", 0, 6),
]

DAY = 86_400.0
HISTORY_YEARS = 6
ROWS_PER_TICK = 10_000


class BoardNotEmpty(Exception):
    """The database already has forums, threads or posts."""


@dataclass(frozen=True)
class BoardSpec:
    posts: int = 1_000_000
    members: int = 5_000
    forums: int = 20
    threads: int = 20_000
    megathreads: int = 3
    megathread_posts: int = 50_000
    seed: int = 1
    quote_share: float = 0.2  # replies that quote an earlier post
    reacted_share: float = 0.15  # posts with at least one reaction
    deleted_share: float = 0.002  # replies soft-deleted by a moderator
    pool_size: int = 300  # distinct post bodies

    def problems(self) -> list[str]:
        found = []
        if min(self.posts, self.members, self.forums, self.threads) < 1:
            found.append("posts, members, forums and threads must all be at least 1.")
        if self.megathreads < 0 or self.megathread_posts < 1:
            found.append("megathreads must be >= 0 and megathread posts >= 1.")
        if self.megathreads > self.threads:
            found.append("There cannot be more megathreads than threads.")
        mega = self.megathreads * self.megathread_posts
        others = self.threads - self.megathreads
        if mega + others > self.posts:
            found.append(
                f"{self.posts:,} posts are too few: the megathreads take {mega:,} and "
                f"every other thread needs at least one ({others:,})."
            )
        if others == 0 and mega != self.posts:
            found.append("With only megathreads, posts must equal their total.")
        return found


@dataclass
class BoardSummary:
    members: int = 0
    forums: int = 0
    threads: int = 0
    posts: int = 0
    reactions: int = 0
    seconds: float = 0.0
    phases: list[tuple[str, float]] = field(default_factory=list)


class Progress:
    """What the generator reports; the command draws a bar, tests ignore it."""

    def start(self, phase: str, total: int = 0) -> None:
        pass

    def advance(self, done: int) -> None:
        pass

    def finish(self, detail: str = "") -> None:
        pass


# --- reading the database ----------------------------------------------------------


def board_counts() -> dict[str, int]:
    return {
        "nodes": Node.objects.count(),
        "threads": Thread.objects.count(),
        "posts": Post.objects.count(),
    }


def wipe_board() -> None:
    """Delete every forum, thread, post and reaction (TRUNCATE, with whatever other
    apps keep about them) and the members a previous run generated."""
    tables = [
        model._meta.db_table
        for model in (*_app_models("threads"), *_app_models("posts"))
        if model is not ReactionType
    ]
    with connection.cursor() as cursor:
        # Fire any deferred foreign-key checks now: TRUNCATE refuses to run on a
        # table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            f"TRUNCATE {', '.join(_qn(t) for t in tables)} RESTART IDENTITY CASCADE"
        )
    get_user_model().objects.filter(email__endswith="@" + EMAIL_DOMAIN).delete()


def _app_models(label: str):
    from django.apps import apps

    return apps.get_app_config(label).get_models()


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


# --- the plan: who posts what, where and when (pure Python, in memory) -------------


@dataclass
class _Plan:
    now: float
    forum_of_thread: list[int]
    sizes: list[int]
    offsets: array  # flat index of each thread's first post
    times: array  # flat: every post's time, thread by thread, in position order
    authors: array  # flat: member index of every post
    bodies: array  # flat: pool index of every post's own text
    order: list[int]  # flat indices in time order: the order ids are handed out
    member_names: list[str]
    joined: list[float]
    first_post: array
    last_post: array


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder), each >= 1
    when total allows."""
    floor_each = 1 if total >= len(weights) else 0
    spare = total - floor_each * len(weights)
    scale = sum(weights)
    shares = [spare * w / scale for w in weights]
    counts = [floor_each + int(s) for s in shares]
    left = total - sum(counts)
    by_remainder = sorted(range(len(weights)), key=lambda i: int(shares[i]) - shares[i])
    for i in by_remainder[:left]:
        counts[i] += 1
    return counts


def _forum_thread_counts(spec: BoardSpec) -> list[int]:
    """The first forum holds most threads, the last only a handful, the rest fall
    off like a real board's."""
    if spec.forums == 1:
        return [spec.threads]
    small = max(1, min(10, spec.threads // (2 * spec.forums)))
    weights = [9.0] + [1.0 / k**0.7 for k in range(1, spec.forums - 1)]
    return _split(spec.threads - small, weights) + [small]


def _thread_sizes(spec: BoardSpec, rng: random.Random) -> list[int]:
    mega = [spec.megathread_posts] * spec.megathreads
    others = spec.threads - spec.megathreads
    if others == 0:
        return mega
    rest = spec.posts - sum(mega)
    # Most threads get a few replies, a few get hundreds.
    weights = [rng.lognormvariate(0.0, 1.4) for _ in range(others)]
    return mega + _split(rest, weights)


def _member_names(count: int, rng: random.Random, taken: set[str]) -> list[str]:
    names = []
    seen = set(taken)
    while len(names) < count:
        first, second = rng.choice(NAME_FIRST), rng.choice(NAME_SECOND)
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


def _plan(spec: BoardSpec, rng: random.Random, taken_names: set[str]) -> _Plan:
    now = float(int(time.time()))
    start = now - HISTORY_YEARS * 365 * DAY
    sizes = _thread_sizes(spec, rng)

    counts = _forum_thread_counts(spec)
    forum_of_thread = []
    # Megathreads live in the busiest forums, never in the small one.
    roomy = sorted(range(len(counts) - (len(counts) > 1)), key=lambda f: -counts[f])
    for j in range(spec.megathreads):
        forum = next(
            (f for f in roomy[j % len(roomy) :] + roomy if counts[f] > 0), roomy[0]
        )
        counts[forum] -= 1
        forum_of_thread.append(forum)
    rest = [f for f, n in enumerate(counts) for _ in range(max(n, 0))]
    rng.shuffle(rest)
    forum_of_thread += rest[: spec.threads - spec.megathreads]

    # A few members write most posts (power law); a third only ever read.
    order = list(range(spec.members))
    rng.shuffle(order)
    posters = order[: max(1, math.ceil(spec.members * 2 / 3))]
    cumulative, total = [], 0.0
    for rank in range(len(posters)):
        total += 1.0 / (rank + 1) ** 0.8
        cumulative.append(total)

    offsets = array("q")
    times = array("d")
    authors = array("i")
    flat = 0
    for index, n in enumerate(sizes):
        offsets.append(flat)
        flat += n
        if index < spec.megathreads:
            length = (now - start) * rng.uniform(0.85, 0.97)
            begin = start + (now - start - length) * rng.random()
        else:
            length = rng.expovariate(1 / (3 * DAY)) * (1 + n / 15) + n * 60
            length = min(length, (now - start) * 0.9)
            # More threads recently than years ago: the board grew.
            begin = start + (now - start - length - 60) * math.sqrt(rng.random())
        moments = sorted(rng.random() for _ in range(n - 1))
        previous = begin
        times.append(begin)
        for fraction in moments:
            previous = max(begin + length * fraction, previous + 1.0)
            times.append(previous)
        authors.extend(
            posters[i]
            for i in rng.choices(range(len(posters)), cum_weights=cumulative, k=n)
        )

    bodies = array("H", (rng.randrange(spec.pool_size) for _ in range(flat)))
    flat_order = sorted(range(flat), key=times.__getitem__)

    first_post = array("d", [math.inf]) * spec.members
    last_post = array("d", [0.0]) * spec.members
    for i in range(flat):
        member, moment = authors[i], times[i]
        if moment < first_post[member]:
            first_post[member] = moment
        if moment > last_post[member]:
            last_post[member] = moment
    joined = []
    for member in range(spec.members):
        if first_post[member] == math.inf:  # a reader: joined any time
            joined.append(start + (now - start - DAY) * rng.random())
        else:
            joined.append(first_post[member] - rng.uniform(0, 400) * DAY)

    return _Plan(
        now=now,
        forum_of_thread=forum_of_thread,
        sizes=sizes,
        offsets=offsets,
        times=times,
        authors=authors,
        bodies=bodies,
        order=flat_order,
        member_names=_member_names(spec.members, rng, taken_names),
        joined=joined,
        first_post=first_post,
        last_post=last_post,
    )


# --- text ----------------------------------------------------------------------------


def _sentence(rng: random.Random) -> str:
    text = rng.choice(SENTENCES)
    roll = rng.random()
    if roll < 0.12:
        words = text.split(" ")
        cut = rng.randint(2, min(5, len(words)))
        text = "[B]" + " ".join(words[:cut]) + "[/B] " + " ".join(words[cut:])
    elif roll < 0.18:
        text = f"[I]{text}[/I]"
    return text


def _link(rng: random.Random) -> str:
    site, section = rng.choice(NEWS_SITES)
    slug = "-".join(rng.sample(LINK_WORDS, 4))
    year, number = rng.randint(2019, 2025), rng.randint(1000, 99999)
    url = f"https://{site}/{section}/{year}/{slug}-{number}"
    if rng.random() < 0.5:
        return f"Source: {url}"
    return f"[URL={url}]{rng.choice(LINK_TEXTS)}[/URL]"


def _body(rng: random.Random, *, topical: bool = False) -> str:
    target = rng.choice([250, 350, 400, 450, 500, 600, 750])
    paragraphs = [rng.choice(TOPICAL_SENTENCES)] if topical else []
    length = 0
    while length < target:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
        paragraphs.append(paragraph)
        length += len(paragraph)
        roll = rng.random()
        if roll < 0.12 and len(paragraphs) > 1:
            items = rng.sample(LIST_ITEMS, rng.randint(2, 4))
            paragraphs.append(
                "[LIST]\n" + "\n".join(f"[*]{i}" for i in items) + "\n[/LIST]"
            )
            length += sum(len(i) for i in items)
        elif roll < 0.3:
            paragraphs.append(_link(rng))
            length += 60
    if rng.random() < 0.3:
        paragraphs.append(rng.choice(SIGN_OFFS))
    if topical:  # the topical sentence anywhere but always in the text
        paragraphs.insert(rng.randrange(len(paragraphs)), paragraphs.pop(0))
    return "\n\n".join(paragraphs)


# Placeholders rendered into each pool body's quote block once; every quoting post
# fills in its own name and ids by string replacement.
_NAME_MARK = "Qqzqnameqzq"
_POST_MARK = "918273645501"
_MEMBER_MARK = "918273645502"


@dataclass
class _Pool:
    bbcode: list[str]
    html: list[str]
    quote_bbcode: list[str]
    quote_html: list[str]

    def quoted(self, index: int, *, name: str, post_id: int, member_id: int):
        """BBCode and HTML of a quote of pool body `index` written by `name`."""
        post, member = str(post_id), str(member_id)
        bb = (
            self.quote_bbcode[index]
            .replace(_NAME_MARK, name)
            .replace(_POST_MARK, post)
            .replace(_MEMBER_MARK, member)
        )
        html = (
            self.quote_html[index]
            .replace(_NAME_MARK, escape(name))
            .replace(_POST_MARK, post)
            .replace(_MEMBER_MARK, member)
        )
        return bb, html


def _pool(size: int, rng: random.Random) -> _Pool:
    every = max(1, round(1 / TOPICAL_SHARE))
    bbcode = [_body(rng, topical=i % every == 0) for i in range(size)]
    html = [render_bbcode(text) for text in bbcode]
    quote_bbcode, quote_html = [], []
    for text in bbcode:
        # A member quotes the opening paragraph of the post they answer.
        excerpt = text.split("\n\n")[0]
        tag = quote_tag_for(
            username=_NAME_MARK,
            post_id=int(_POST_MARK),
            member_id=int(_MEMBER_MARK),
            body=excerpt,
        )
        quote_bbcode.append(tag)
        quote_html.append(render_bbcode(tag))
    pool = _Pool(bbcode, html, quote_bbcode, quote_html)
    # The shortcut is only valid while a quote renders on its own: check it.
    bb, rendered = pool.quoted(0, name="Check Name", post_id=12, member_id=34)
    if render_bbcode(bb + bbcode[1 % size]) != rendered + html[1 % size]:
        raise RuntimeError("The BBCode renderer no longer renders a quote on its own.")
    return pool


# --- writing -------------------------------------------------------------------------


def _field_default(field_):
    value = field_.get_default()
    if field_.get_internal_type() == "JSONField":
        return json.dumps(value)
    return field_.get_db_prep_save(value, connection)


def _defaults(model, columns: list[str]) -> tuple[list[str], tuple]:
    """The model's other columns and their defaults, so that fields added later (with
    a default, as Django requires) do not break the generator."""
    rest = [
        f
        for f in model._meta.concrete_fields
        if f.column not in columns and not f.primary_key
    ]
    return [f.column for f in rest], tuple(_field_default(f) for f in rest)


def _copy(cursor, model, columns: list[str], rows, progress: Progress | None = None):
    extra_columns, extra_values = _defaults(model, columns)
    names = ", ".join(_qn(c) for c in columns + extra_columns)
    sql = f"COPY {_qn(model._meta.db_table)} ({names}) FROM STDIN"
    count = 0
    with cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row + extra_values)
            count += 1
            if progress and count % ROWS_PER_TICK == 0:
                progress.advance(count)
    return count


def _reserve_ids(cursor, table: str, count: int) -> int:
    """Hand out `count` ids from the table's sequence; returns the first."""
    cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
    first = cursor.fetchone()[0]
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
        [table, first + count - 1],
    )
    return first


def _at(moment: float) -> datetime:
    return datetime.fromtimestamp(moment, UTC)


def _drop_secondary(cursor, tables: list[str]) -> list[str]:
    """Drop the tables' foreign keys and plain indexes; returns the SQL that puts
    them back (indexes first, so that validating the keys is quick)."""
    indexes, keys = [], []
    for table in tables:
        cursor.execute(
            """
            SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
            WHERE c.conrelid = %s::regclass AND c.contype = 'f'
            """,
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {_qn(table)} DROP CONSTRAINT {_qn(name)}")
            keys.append(
                f"ALTER TABLE {_qn(table)} ADD CONSTRAINT {_qn(name)} {definition}"
            )
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
              )
            """,
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f"DROP INDEX {name}")
            indexes.append(definition)
    return indexes + keys


def _reaction_types(cursor) -> list[tuple[int, int, int]]:
    """(id, score, weight) of the active reaction types; the six defaults are
    created first when the board has none."""
    if not ReactionType.objects.exists():
        ReactionType.objects.bulk_create(
            ReactionType(
                name=name, emoji=emoji, score=score, display_order=10 * (i + 1)
            )
            for i, (name, emoji, score, _) in enumerate(DEFAULT_REACTION_TYPES)
        )
    weights = {name: weight for name, _, _, weight in DEFAULT_REACTION_TYPES}
    return [
        (t.pk, t.score, weights.get(t.name, 3))
        for t in ReactionType.objects.filter(is_active=True)
    ]


STAGING_SQL = """
CREATE TEMP TABLE generated_post (
  id bigint, thread_id bigint, position integer, author_id bigint,
  author_name text, created_at timestamptz, body text, body_html text,
  pool_key integer, quote_key integer, quote_member bigint,
  is_deleted boolean, deleted_at timestamptz, reaction_total integer,
  reaction_score integer, reaction_counts jsonb, recent_reactors jsonb
)
"""
STAGED = [
    "id", "thread_id", "position", "author_id", "author_name", "created_at", "body",
    "body_html", "is_deleted", "deleted_at", "reaction_total", "reaction_score",
    "reaction_counts", "recent_reactors",
]  # fmt: skip

# What index_post stores: the thread title (weight A) on the first post, the text of
# the rendered body (weight B). Parsing a million bodies would take minutes, so each
# piece is vectorized once (a pool body, a pool body's quoted excerpt, a member's
# name) and a post's vector is the concatenation of its pieces: the same lexemes and
# weights as vectorizing the whole text.
TEXT_VECTOR = (
    "setweight(to_tsvector('english', regexp_replace({html}, '<[^>]*>', ' ', 'g')),"
    " 'B')"
)
POST_VECTOR = """
CASE WHEN s.position = 0 THEN setweight(to_tsvector('english', t.title), 'A')
     ELSE ''::tsvector END
|| CASE WHEN s.quote_key IS NULL THEN ''::tsvector ELSE n.vector || q.quote END
|| b.body
"""
MOVE_POSTS_SQL = """
INSERT INTO posts_post ({columns})
SELECT {values}
FROM generated_post s
JOIN threads_thread t ON t.id = s.thread_id
JOIN generated_vector b ON b.pool_key = s.pool_key
LEFT JOIN generated_vector q ON q.pool_key = s.quote_key
LEFT JOIN generated_name n ON n.member_id = s.quote_member
"""


class _Writer:
    def __init__(self, spec: BoardSpec, progress: Progress, summary: BoardSummary):
        self.spec = spec
        self.progress = progress
        self.summary = summary
        self.rng = random.Random(spec.seed)
        self.started = time.monotonic()
        self.phase_started = self.started

    def phase(self, name: str, total: int = 0):
        self.phase_started = time.monotonic()
        self.phase_name = name
        self.progress.start(name, total)

    def done(self, detail: str = ""):
        seconds = time.monotonic() - self.phase_started
        self.summary.phases.append((self.phase_name, seconds))
        self.progress.finish(detail)

    def run(self, cursor) -> None:
        spec, rng = self.spec, self.rng
        User = get_user_model()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL work_mem = '64MB'")

        self.phase("planning", spec.threads)
        taken = {
            username_skeleton(name)
            for name in User.objects.values_list("username", flat=True)
        }
        plan = _plan(spec, rng, taken)
        self.done(f"{spec.threads:,} threads, {spec.posts:,} posts")

        self.phase("members", spec.members)
        member_ids = self.write_members(cursor, plan)
        self.done(f"{spec.members:,} members")

        self.phase("forums", spec.forums)
        forum_ids = self.write_forums(plan)
        self.done(f"{spec.forums:,} forums")

        self.phase("threads", spec.threads)
        first_post_id = _reserve_ids(cursor, "posts_post", spec.posts)
        post_ids = array("q", bytes(8 * spec.posts))
        for rank, flat in enumerate(plan.order):
            post_ids[flat] = first_post_id + rank
        thread_ids = self.write_threads(cursor, plan, member_ids, forum_ids, post_ids)
        self.done(f"{spec.threads:,} threads")

        self.phase("post bodies", spec.pool_size)
        pool = _pool(spec.pool_size, rng)
        self.done(f"{spec.pool_size:,} bodies rendered")

        restore = _drop_secondary(cursor, ["posts_post", "posts_reaction"])
        cursor.execute(STAGING_SQL)
        self.phase("posts", spec.posts)
        reactions = self.write_posts(
            cursor, plan, pool, member_ids, thread_ids, post_ids
        )
        self.done(f"{spec.posts:,} posts")

        self.phase("reactions", len(reactions[0]))
        self.write_reactions(cursor, reactions)
        self.done(f"{len(reactions[0]):,} reactions")

        self.phase("search vectors")
        self.move_posts(cursor, pool, member_ids)
        self.done("title A, text B")

        self.phase("indexes")
        for statement in restore:
            cursor.execute(statement)
        self.done(f"{len(restore)} indexes and keys")

        self.phase("recount")
        cursor.execute(
            "ANALYZE posts_post, posts_reaction, threads_thread, accounts_user"
        )
        from forum.posts.recount import recount_all

        recount_all()
        self.done("counters exact")

        self.summary.members = spec.members
        self.summary.forums = spec.forums
        self.summary.threads = spec.threads
        self.summary.posts = spec.posts
        self.summary.reactions = len(reactions[0])

    def write_members(self, cursor, plan: _Plan) -> list[int]:
        spec, rng = self.spec, self.rng
        User = get_user_model()
        first_id = _reserve_ids(cursor, User._meta.db_table, spec.members)
        ids = [first_id + i for i in range(spec.members)]
        # One hash for everyone: hashing 5,000 passwords would take minutes. Always
        # PBKDF2 (Django's default), so that the web processes accept it.
        password = PBKDF2PasswordHasher().encode(PASSWORD, "generatedsalt1")
        emails = [
            f"{make_slug(name).replace('-', '.') or 'member'}.{i}@{EMAIL_DOMAIN}"
            for i, name in enumerate(plan.member_names)
        ]

        def rows():
            for i, name in enumerate(plan.member_names):
                posted = plan.last_post[i] > 0
                yield (
                    ids[i],
                    password,
                    name,
                    username_skeleton(name),
                    emails[i],
                    _at(plan.joined[i]),
                    _at(plan.last_post[i]) if posted else None,
                    _at(min(plan.now, plan.last_post[i] + rng.uniform(0, 30) * DAY))
                    if posted
                    else _at(plan.joined[i]),
                    rng.choice(COUNTRIES),
                    rng.choice(LOCATIONS) if rng.random() < 0.6 else "",
                )

        columns = [
            "id", "password", "username", "username_skeleton", "email", "date_joined",
            "last_post_at", "last_seen_at", "country", "location",
        ]  # fmt: skip
        _copy(cursor, User, columns, rows(), self.progress)
        from allauth.account.models import EmailAddress

        _copy(
            cursor,
            EmailAddress,
            ["user_id", "email", "verified", "primary"],
            ((ids[i], emails[i], True, True) for i in range(spec.members)),
        )
        return ids

    def write_forums(self, plan: _Plan) -> list[int]:
        spec = self.spec
        titles = _forum_titles(spec.forums)
        categories = _split(spec.forums, [1.0] * min(len(CATEGORIES), spec.forums))
        forums = []
        index = 0
        for order, (per_category, (title, description)) in enumerate(
            zip(categories, CATEGORIES, strict=False)
        ):
            category = Node.objects.create(
                title=title,
                description=description,
                kind=Node.Kind.CATEGORY,
                display_order=(order + 1) * 10,
            )
            for child in range(per_category):
                forum_title, forum_description = titles[index]
                forums.append(
                    Node(
                        parent=category,
                        kind=Node.Kind.FORUM,
                        title=forum_title,
                        slug=make_slug(forum_title),
                        description=forum_description,
                        display_order=(child + 1) * 10,
                    )
                )
                index += 1
        return [node.pk for node in Node.objects.bulk_create(forums)]

    def write_threads(self, cursor, plan, member_ids, forum_ids, post_ids) -> list[int]:
        spec, rng = self.spec, self.rng
        first_id = _reserve_ids(cursor, "threads_thread", spec.threads)
        ids = [first_id + i for i in range(spec.threads)]
        sticky = set()
        for forum in range(spec.forums):
            members = [t for t, f in enumerate(plan.forum_of_thread) if f == forum]
            if len(members) >= 50:
                sticky.add(rng.choice(members))
        sticky.update(range(spec.megathreads))

        def rows():
            for t in range(spec.threads):
                start, n = plan.offsets[t], plan.sizes[t]
                last = start + n - 1
                if t < spec.megathreads:
                    title = MEGATHREAD_TITLES[t % len(MEGATHREAD_TITLES)]
                else:
                    title = _thread_title(rng, plan.times[start])
                starter, last_poster = plan.authors[start], plan.authors[last]
                yield (
                    ids[t],
                    forum_ids[plan.forum_of_thread[t]],
                    title,
                    make_slug(title),
                    member_ids[starter],
                    plan.member_names[starter],
                    _at(plan.times[start]),
                    n - 1,
                    n * rng.randint(3, 40),
                    n - 1,
                    post_ids[start],
                    post_ids[last],
                    _at(plan.times[last]),
                    member_ids[last_poster],
                    plan.member_names[last_poster],
                    t in sticky,
                    rng.random() < 0.01,
                )

        columns = [
            "id", "node_id", "title", "slug", "starter_id", "starter_name",
            "created_at", "reply_count", "view_count", "last_position", "first_post_id",
            "last_post_id", "last_post_at", "last_poster_id", "last_poster_name",
            "is_sticky", "is_locked",
        ]  # fmt: skip
        _copy(cursor, Thread, columns, rows(), self.progress)
        return ids

    def write_posts(self, cursor, plan, pool, member_ids, thread_ids, post_ids):
        spec, rng = self.spec, self.rng
        random_ = rng.random
        types = _reaction_types(cursor)
        type_ids = [t[0] for t in types]
        type_scores = {t[0]: t[1] for t in types}
        type_cumulative = []
        running = 0
        for _, _, weight in types:
            running += weight
            type_cumulative.append(running)
        names = plan.member_names
        thread_of = array("i", bytes(4 * spec.posts))
        for t, start in enumerate(plan.offsets):
            for flat in range(start, start + plan.sizes[t]):
                thread_of[flat] = t
        reactions = (array("q"), array("q"), array("q"), array("d"))
        self.reacting = (plan, member_ids, reactions, type_ids, type_cumulative)
        self.type_scores = type_scores
        empty_counts, empty_recent = "{}", "[]"

        def rows():
            for flat in plan.order:
                t = thread_of[flat]
                position = flat - plan.offsets[t]
                post_id = post_ids[flat]
                author = plan.authors[flat]
                moment = plan.times[flat]
                key = plan.bodies[flat]
                if position and random_() < spec.quote_share:
                    back = min(position, 1 + int(rng.expovariate(0.4)))
                    quoted = flat - back
                    quoted_author = plan.authors[quoted]
                    quote_bb, quote_html = pool.quoted(
                        plan.bodies[quoted],
                        name=names[quoted_author],
                        post_id=post_ids[quoted],
                        member_id=member_ids[quoted_author],
                    )
                    body = quote_bb + pool.bbcode[key]
                    html = quote_html + pool.html[key]
                    quote_key = plan.bodies[quoted]
                    quote_member = member_ids[quoted_author]
                else:
                    body, html = pool.bbcode[key], pool.html[key]
                    quote_key = quote_member = None
                deleted = bool(position) and random_() < spec.deleted_share
                total = score = 0
                counts, recent = empty_counts, empty_recent
                if not deleted and type_ids and random_() < spec.reacted_share:
                    total, score, counts, recent = self.react(post_id, author, moment)
                yield (
                    post_id,
                    thread_ids[t],
                    position,
                    member_ids[author],
                    names[author],
                    _at(moment),
                    body,
                    html,
                    key,
                    quote_key,
                    quote_member,
                    deleted,
                    _at(min(moment + 3600, plan.now)) if deleted else None,
                    total,
                    score,
                    counts,
                    recent,
                )

        with cursor.cursor.copy(
            "COPY generated_post (id, thread_id, position, author_id, author_name,"
            " created_at, body, body_html, pool_key, quote_key, quote_member,"
            " is_deleted, deleted_at,"
            " reaction_total, reaction_score, reaction_counts, recent_reactors)"
            " FROM STDIN"
        ) as copy:
            for count, row in enumerate(rows(), 1):
                copy.write_row(row)
                if count % ROWS_PER_TICK == 0:
                    self.progress.advance(count)
        return reactions

    def react(self, post_id: int, author: int, moment: float):
        """Reactions from a few other members; returns the post's counters."""
        rng, members = self.rng, self.spec.members
        plan, member_ids, reactions, type_ids, type_cumulative = self.reacting
        r_post, r_user, r_type, r_time = reactions
        want = 1 + min(int(rng.expovariate(0.6)), 11)
        others = rng.sample(range(members), min(want + 1, members))
        picked = [m for m in others if m != author][:want]
        given = []
        for member in picked:
            kind = rng.choices(type_ids, cum_weights=type_cumulative)[0]
            at = min(plan.now - 1, moment + rng.expovariate(1 / (6 * 3600)))
            given.append((at, member, kind))
            r_post.append(post_id)
            r_user.append(member_ids[member])
            r_type.append(kind)
            r_time.append(at)
        counts: dict[str, int] = {}
        score = 0
        for _, _, kind in given:
            counts[str(kind)] = counts.get(str(kind), 0) + 1
            score += self.type_scores[kind]
        given.sort(reverse=True)
        recent = [
            {"id": member_ids[m], "name": plan.member_names[m]} for _, m, _ in given[:3]
        ]
        return len(given), score, json.dumps(counts), json.dumps(recent)

    def write_reactions(self, cursor, reactions) -> None:
        r_post, r_user, r_type, r_time = reactions
        rows = (
            (r_post[i], r_user[i], r_type[i], _at(r_time[i]))
            for i in range(len(r_post))
        )
        _copy(
            cursor,
            Reaction,
            ["post_id", "user_id", "reaction_type_id", "created_at"],
            rows,
            self.progress,
        )

    def move_posts(self, cursor, pool: _Pool, member_ids: list[int]) -> None:
        cursor.execute(
            "CREATE TEMP TABLE generated_vector"
            " (pool_key integer PRIMARY KEY, body tsvector, quote tsvector)"
        )
        # A quote block without its author's name: " said: <excerpt>".
        quotes = [html.replace(_NAME_MARK, "") for html in pool.quote_html]
        cursor.execute(
            "INSERT INTO generated_vector"
            f" SELECT k, {TEXT_VECTOR.format(html='h')}, {TEXT_VECTOR.format(html='q')}"
            " FROM unnest(%s::integer[], %s::text[], %s::text[]) AS p(k, h, q)",
            [list(range(len(pool.html))), pool.html, quotes],
        )
        cursor.execute(
            "CREATE TEMP TABLE generated_name (member_id bigint PRIMARY KEY,"
            " vector tsvector)"
        )
        cursor.execute(
            "INSERT INTO generated_name SELECT id,"
            " setweight(to_tsvector('english', username), 'B')"
            f" FROM {_qn(get_user_model()._meta.db_table)}"
            " WHERE id BETWEEN %s AND %s",
            [member_ids[0], member_ids[-1]],
        )
        expressions = {column: f"s.{column}" for column in STAGED}
        expressions["delete_reason"] = (
            "CASE WHEN s.is_deleted THEN 'Off-topic' ELSE '' END"
        )
        expressions["search_vector"] = POST_VECTOR
        columns, values, params = [], [], []
        for field_ in Post._meta.concrete_fields:
            columns.append(_qn(field_.column))
            if field_.column in expressions:
                values.append(expressions[field_.column])
            else:
                values.append("%s")
                params.append(_field_default(field_))
        cursor.execute(
            MOVE_POSTS_SQL.format(columns=", ".join(columns), values=", ".join(values)),
            params,
        )
        cursor.execute("DROP TABLE generated_post, generated_vector, generated_name")


def generate_board(
    spec: BoardSpec, *, wipe: bool = False, progress: Progress | None = None
) -> BoardSummary:
    """Build the board described by `spec` in one transaction.

    Refuses (BoardNotEmpty) when the database has any forum, thread or post, unless
    `wipe`. Afterwards every counter agrees with `recount`, and the tables are
    analyzed (and vacuumed, when not inside an outer transaction)."""
    problems = spec.problems()
    if problems:
        raise ValueError(" ".join(problems))
    progress = progress or Progress()
    summary = BoardSummary()
    writer = _Writer(spec, progress, summary)
    counts = board_counts()
    if any(counts.values()):
        if not wipe:
            raise BoardNotEmpty(
                f"The database already has {counts['nodes']:,} forums and categories,"
                f" {counts['threads']:,} threads and {counts['posts']:,} posts."
            )
        writer.phase("wipe")
        with transaction.atomic():
            wipe_board()
        writer.done("forum tables truncated")
    with transaction.atomic(), connection.cursor() as cursor:
        writer.run(cursor)
    writer.phase("analyze")
    with connection.cursor() as cursor:
        tables = (
            "posts_post, posts_reaction, threads_thread, threads_node, accounts_user"
        )
        if connection.in_atomic_block:
            cursor.execute(f"ANALYZE {tables}")
        else:
            # Sets the visibility map and hint bits now, rather than in autovacuum
            # during the benchmark that follows.
            cursor.execute(f"VACUUM (ANALYZE) {tables}")
    writer.done()
    _clear_caches()
    summary.seconds = time.monotonic() - writer.started
    return summary


def _clear_caches() -> None:
    """Pages and counters cached from the board that was there before are wrong."""
    from django.core.cache import caches

    for alias in caches.settings:
        caches[alias].clear()


def _forum_titles(count: int) -> list[tuple[str, str]]:
    titles = list(FORUMS[:count])
    for extra in range(len(titles), count):
        titles.append((f"Regional Desk {extra + 1}", "News and discussion by region."))
    return titles


def _thread_title(rng: random.Random, moment: float) -> str:
    subject, angle = rng.choice(SUBJECTS), rng.choice(ANGLES)
    roll = rng.random()
    if roll < 0.45:
        return f"{subject}: {angle}"
    if roll < 0.7:
        return f"{angle[0].upper()}{angle[1:]} — {subject}"
    if roll < 0.85:
        return f"{subject} ({_at(moment).year})"
    return f"{subject}: {rng.choice(QUESTIONS)}"


# --- text banks (written for this generator) -----------------------------------------

CATEGORIES = [
    ("Homeland", "Defence, politics and the economy at home."),
    ("World Affairs", "Diplomacy and conflict around the world."),
    ("Military & Technology", "Hardware, doctrine and the science behind it."),
    ("Community", "The members' lounge."),
]

FORUMS = [
    ("Defence Headlines", "Breaking defence news and the discussion around it."),
    ("Politics & Parliament", "Elections, parties, courts and the cabinet."),
    ("Economy & Trade", "Budgets, markets, energy and trade deals."),
    ("Internal Security", "Policing, counter-terrorism and border control."),
    ("South & Central Asia", "The neighbourhood, from Kabul to Almaty."),
    ("Middle East & Africa", "From the Gulf to the Sahel."),
    ("Europe & Russia", "The EU, NATO, Russia and their neighbours."),
    ("East Asia & Pacific", "China, Japan, the Koreas and the Pacific."),
    ("Americas", "The United States, Canada and Latin America."),
    ("Air Warfare", "Combat aircraft, drones and air defence."),
    ("Land Forces", "Armour, artillery and infantry."),
    ("Naval Forces", "Fleets, submarines and maritime strategy."),
    ("Missiles & Space", "Strategic forces, launchers and satellites."),
    ("Cyber & Electronic Warfare", "Networks, jamming and signals intelligence."),
    ("Defence Industry", "Factories, exports and procurement."),
    ("History & Strategy", "Campaigns of the past and the ideas behind them."),
    ("Members' Club", "Introductions, off-topic chat and celebrations."),
    ("Sports & Culture", "Cricket, films, books and music."),
    ("Science & Technology", "Research, start-ups and gadgets."),
    ("Site Feedback", "Suggestions and bug reports for the forum."),
]

MEGATHREAD_TITLES = [
    "The strategic situation: daily news and analysis megathread",
    "Economy watch: every budget, bond and bailout in one place",
    "Air power megathread: fighters, drones and air defence",
    "World news roundup: the long-running thread",
    "Naval developments megathread",
]

SUBJECTS = [
    "Fighter upgrade programme", "Port expansion project", "Northern border talks",
    "The new defence budget", "Submarine acquisition", "Drone procurement",
    "Gas pipeline deal", "Monsoon relief operations", "Coastal radar network",
    "Space agency launch", "Main battle tank trials", "Air defence modernisation",
    "Trade corridor negotiations", "Cyber security bill", "Election commission reform",
    "Central bank rate decision", "Regional water treaty", "Frigate construction",
    "Counter-terrorism operation", "Joint military exercise", "Export control regime",
    "Helicopter fleet renewal", "Strategic dialogue with Moscow", "IMF review",
    "Satellite navigation system", "Shipyard privatisation", "Artillery modernisation",
    "Energy import bill", "Peacekeeping deployment", "Naval aviation",
]  # fmt: skip

ANGLES = [
    "latest updates", "what the numbers say", "strategic implications",
    "news and discussion", "who benefits?", "a reality check",
    "timeline and sources", "analysis from the think tanks", "the cost question",
    "lessons from last time", "official statements", "rumours vs facts",
    "regional reactions", "what happens next", "expert opinions",
]  # fmt: skip

QUESTIONS = [
    "worth the money?", "too little, too late?", "game changer or hype?",
    "can it be delivered on time?", "what are the alternatives?",
]  # fmt: skip

SENTENCES = [
    "The announcement came sooner than most observers expected.",
    "Nobody has published the contract value yet, which tells you something.",
    "I would wait for the official figures before reading too much into this.",
    "Two earlier attempts stalled at exactly this stage, so caution is warranted.",
    "The opposition will use this in parliament next week, no doubt about it.",
    "Maintenance costs over thirty years matter more than the purchase price.",
    "Our neighbours will watch this closely and adjust their own plans.",
    "Local production is the real prize here, not the first batch of imports.",
    "The delivery schedule looks optimistic given the supply chain problems.",
    "This is the third briefing on the subject in a month.",
    "Training the crews takes longer than building the hardware.",
    "Insurance rates for shipping in the area have already gone up.",
    "The think-tank report makes the same point with better data.",
    "Several retired officers have said much the same on television.",
    "If the exchange rate keeps falling the whole plan needs repricing.",
    "Good to see a sober discussion instead of the usual chest-thumping.",
    "The satellite images from last week show construction well under way.",
    "Parliament approved the funding, but the release is another matter.",
    "Nothing in the statement contradicts what was said in March.",
    "Reading between the lines, the talks are going better than advertised.",
    "Fuel subsidies are eating the budget that was meant for procurement.",
    "This thread is a good example of why sources matter.",
    "The press conference raised more questions than it answered.",
    "I have seen these units up close and the build quality is impressive.",
    "The opposition's numbers do not add up either, to be fair.",
    "Regional diplomacy rarely moves in straight lines.",
    "Exports would change the economics of the whole programme.",
    "Interesting that the announcement was made abroad rather than at home.",
    "Without spare parts, a fleet is a museum.",
    "The same vendor lost a similar contract two years ago.",
    "Manpower, not money, is the constraint the planners keep ignoring.",
    "Economic security is national security, as the saying goes.",
    "Weather delayed the exercise by two days, according to the spokesman.",
    "The leaked memo, if genuine, changes the picture considerably.",
    "Markets reacted calmly, which suggests the news was priced in.",
    "Logistics win wars; everything else is detail.",
    "The treaty text is public and worth reading in full.",
    "Dialogue is cheaper than confrontation, even when it is slow.",
    "I remember when this project was first proposed in the nineties.",
    "The timeline slipped again; nobody seems surprised.",
    "Credit where it is due: the engineers delivered on this one.",
    "The government should publish the audit rather than summaries of it.",
    "The new radar has reportedly doubled the detection range.",
    "Public opinion is split, judging by the latest survey.",
    "That interview was more candid than these things usually are.",
    "Let us keep the discussion on the facts and away from personalities.",
    "The logic is sound, but the financing has always been the weak point.",
    "A partnership only works when both sides get something concrete.",
    "A pause might actually be the wise choice right now.",
    "Depth means little without a strong economy behind it.",
]

# The benchmark searches for "strategic": like a topical word on a real board it is
# in about 2% of posts (TOPICAL_SHARE of the pool bodies, plus some titles), not in
# every other one, or search would be measured ranking half the table.
TOPICAL_SHARE = 0.015
TOPICAL_SENTENCES = [
    "The strategic logic is sound, but the financing has always been the weak point.",
    "A strategic partnership only works when both sides get something concrete.",
    "A strategic pause might actually be the wise choice right now.",
    "Strategic depth means little without a strong economy behind it.",
]

LIST_ITEMS = [
    "Cost per unit", "Delivery schedule", "Local assembly share", "Training pipeline",
    "Spare parts agreement", "Financing terms", "Export potential",
    "Political risk", "Maintenance contracts", "Technology transfer",
    "Regional balance", "Public opinion",
]  # fmt: skip

LINK_WORDS = [
    "defence", "budget", "talks", "regional", "trade", "navy", "air-force",
    "treaty", "summit", "economy", "border", "deal", "report", "minister",
]  # fmt: skip

LINK_TEXTS = [
    "Full report here", "The original article", "Official statement", "Background",
    "An older piece on the same subject", "Interview (long read)",
]  # fmt: skip

NEWS_SITES = [
    ("news.example.com", "world"),
    ("www.example.org", "defence"),
    ("daily.example.net", "politics"),
    ("business.example.com", "economy"),
    ("www.example.com", "opinion"),
]

SIGN_OFFS = [
    "Just my two cents.", "Happy to be proven wrong.", "Thoughts?",
    "Source in the post above.", "More when the full report is out.",
]  # fmt: skip

NAME_FIRST = [
    "Falcon", "Sher", "Atlas", "Kestrel", "Orion", "Nomad", "Sabre", "Raven",
    "Indus", "Desert", "Blue", "Iron", "Silent", "Northern", "Storm", "Hawk",
    "Zarvan", "Hamza", "Bilal", "Mariam", "Ayesha", "Tariq", "Saleem", "Kashif",
    "Norah", "Viktor", "Elena", "Omar", "Farid", "Leila", "Yusuf", "Rustam",
    "Arash", "Mehmet", "Karim", "Dara", "Imran", "Sana", "Zoya", "Nadia",
    "Copper", "Granite", "Cedar", "Monsoon", "Harbour", "Summit", "Delta", "Echo",
]  # fmt: skip

NAME_SECOND = [
    "Eye", "Khan", "Watcher", "Raider", "Marlin", "Hunter", "Rider", "Scout",
    "Analyst", "Pilot", "Navigator", "Sentinel", "Ranger", "Voyager", "Wing",
    "Lancer", "Guardian", "Observer", "Reader", "Writer", "Strider", "Sailor",
    "Gunner", "Signal", "Tracker", "Warden", "Forge", "Harbor", "Ridge", "Vale",
]  # fmt: skip

COUNTRIES = ["PK", "PK", "PK", "GB", "US", "CA", "AE", "SA", "TR", "CN", "DE", ""]

LOCATIONS = [
    "Lahore", "Karachi", "Islamabad", "Peshawar", "Quetta", "London", "Toronto",
    "Dubai", "Riyadh", "Istanbul", "Houston", "Manchester", "Multan", "Sialkot",
]  # fmt: skip
