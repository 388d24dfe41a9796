"""The writer: the plan turned into rows, table by table, in one transaction."""

from __future__ import annotations

import json
import random
import time
from array import array

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from accounts.validators import username_skeleton
from forum.devtools.generate.bulk import (
    MOVE_POSTS_SQL,
    POST_VECTOR,
    ROWS_PER_TICK,
    STAGED,
    STAGING_SQL,
    TEXT_VECTOR,
    as_datetime,
    copy_rows,
    drop_secondary,
    field_default,
    qn,
    reserve_ids,
)
from forum.devtools.generate.corpus import (
    NAME_MARK,
    Pool,
    forum_titles,
    lines,
    make_pool,
    pairs,
    thread_title,
)
from forum.devtools.generate.labels import label_threads
from forum.devtools.generate.plan import (
    DAY,
    EMAIL_DOMAIN,
    PASSWORD,
    BoardSpec,
    BoardSummary,
    Plan,
    Progress,
    apportion,
    make_plan,
)
from forum.policy.snapshot import bump_version
from forum.posts.models import Post, Reaction, ReactionType
from forum.threads.models import Node, Thread, make_slug

DEFAULT_REACTION_TYPES = [
    ("Like", "\U0001f44d", 1, 55),
    ("Love", "\u2764\ufe0f", 1, 12),
    ("Haha", "\U0001f602", 1, 12),
    ("Wow", "\U0001f62e", 1, 8),
    ("Sad", "\U0001f622", 0, 7),
    ("Angry", "\U0001f621", 0, 6),
]

# A member's country: mostly Pakistan, some abroad, some not given ("").
COUNTRIES = ["PK", "PK", "PK", "GB", "US", "CA", "AE", "SA", "TR", "CN", "DE", ""]


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


class Writer:
    """Writes one board: `run` plans it and copies it in, phase by phase, on the
    cursor of the caller's transaction."""

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
        plan = make_plan(spec, rng, taken)
        self.done(f"{spec.threads:,} threads, {spec.posts:,} posts")

        self.phase("members", spec.members)
        member_ids = self.write_members(cursor, plan)
        self.done(f"{spec.members:,} members")

        self.phase("forums", spec.forums)
        forum_ids = self.write_forums(plan)
        self.done(f"{spec.forums:,} forums")

        self.phase("threads", spec.threads)
        first_post_id = reserve_ids(cursor, "posts_post", spec.posts)
        post_ids = array("q", bytes(8 * spec.posts))
        for rank, flat in enumerate(plan.order):
            post_ids[flat] = first_post_id + rank
        thread_ids = self.write_threads(cursor, plan, member_ids, forum_ids, post_ids)
        self.done(f"{spec.threads:,} threads")

        self.phase("post bodies", spec.pool_size)
        pool = make_pool(spec.pool_size, rng)
        self.done(f"{spec.pool_size:,} bodies rendered")

        restore = drop_secondary(cursor, ["posts_post", "posts_reaction"])
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

        self.phase("labels")
        added = label_threads(cursor)
        self.done(f"prefixes on a third of the threads, {added:,} tags")

        self.phase("recount")
        cursor.execute(
            "ANALYZE posts_post, posts_reaction, threads_thread, accounts_user"
        )
        from forum.posts.recount import recount_all

        recount_all()  # tag counts too (a registered counter)
        self.done("counters exact")

        self.summary.members = spec.members
        self.summary.forums = spec.forums
        self.summary.threads = spec.threads
        self.summary.posts = spec.posts
        self.summary.reactions = len(reactions[0])

    def write_members(self, cursor, plan: Plan) -> list[int]:
        spec, rng = self.spec, self.rng
        User = get_user_model()
        first_id = reserve_ids(cursor, User._meta.db_table, spec.members)
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
                    as_datetime(plan.joined[i]),
                    as_datetime(plan.last_post[i]) if posted else None,
                    as_datetime(
                        min(plan.now, plan.last_post[i] + rng.uniform(0, 30) * DAY)
                    )
                    if posted
                    else as_datetime(plan.joined[i]),
                    rng.choice(COUNTRIES),
                    rng.choice(lines("locations")) if rng.random() < 0.6 else "",
                )

        columns = [
            "id", "password", "username", "username_skeleton", "email", "date_joined",
            "last_post_at", "last_seen_at", "country", "location",
        ]  # fmt: skip
        copy_rows(cursor, User, columns, rows(), self.progress)
        from allauth.account.models import EmailAddress

        copy_rows(
            cursor,
            EmailAddress,
            ["user_id", "email", "verified", "primary"],
            ((ids[i], emails[i], True, True) for i in range(spec.members)),
        )
        return ids

    def write_forums(self, plan: Plan) -> list[int]:
        spec = self.spec
        titles = forum_titles(spec.forums)
        categories = apportion(
            spec.forums, [1.0] * min(len(pairs("categories")), spec.forums)
        )
        forums = []
        index = 0
        for order, (per_category, (title, description)) in enumerate(
            zip(categories, pairs("categories"), strict=False)
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
        created = [node.pk for node in Node.objects.bulk_create(forums)]
        bump_version()  # the permission snapshot holds the forum tree
        return created

    def write_threads(self, cursor, plan, member_ids, forum_ids, post_ids) -> list[int]:
        spec, rng = self.spec, self.rng
        first_id = reserve_ids(cursor, "threads_thread", spec.threads)
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
                    title = lines("megathread_titles")[
                        t % len(lines("megathread_titles"))
                    ]
                else:
                    title = thread_title(rng, plan.times[start])
                starter, last_poster = plan.authors[start], plan.authors[last]
                yield (
                    ids[t],
                    forum_ids[plan.forum_of_thread[t]],
                    title,
                    make_slug(title),
                    member_ids[starter],
                    plan.member_names[starter],
                    as_datetime(plan.times[start]),
                    n - 1,
                    n * rng.randint(3, 40),
                    n - 1,
                    post_ids[start],
                    post_ids[last],
                    as_datetime(plan.times[last]),
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
        copy_rows(cursor, Thread, columns, rows(), self.progress)
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
                    as_datetime(moment),
                    body,
                    html,
                    key,
                    quote_key,
                    quote_member,
                    deleted,
                    as_datetime(min(moment + 3600, plan.now)) if deleted else None,
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
            (r_post[i], r_user[i], r_type[i], as_datetime(r_time[i]))
            for i in range(len(r_post))
        )
        copy_rows(
            cursor,
            Reaction,
            ["post_id", "user_id", "reaction_type_id", "created_at"],
            rows,
            self.progress,
        )

    def move_posts(self, cursor, pool: Pool, member_ids: list[int]) -> None:
        cursor.execute(
            "CREATE TEMP TABLE generated_vector"
            " (pool_key integer PRIMARY KEY, body tsvector, quote tsvector)"
        )
        # A quote block without its author's name: " said: <excerpt>".
        quotes = [html.replace(NAME_MARK, "") for html in pool.quote_html]
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
            f" FROM {qn(get_user_model()._meta.db_table)}"
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
            columns.append(qn(field_.column))
            if field_.column in expressions:
                values.append(expressions[field_.column])
            else:
                values.append("%s")
                params.append(field_default(field_))
        cursor.execute(
            MOVE_POSTS_SQL.format(columns=", ".join(columns), values=", ".join(values)),
            params,
        )
        cursor.execute("DROP TABLE generated_post, generated_vector, generated_name")
