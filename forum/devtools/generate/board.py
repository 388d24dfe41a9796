"""generate_board: check, wipe when asked, write, analyze."""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from forum.devtools.generate.bulk import qn
from forum.devtools.generate.plan import (
    EMAIL_DOMAIN,
    BoardNotEmpty,
    BoardSpec,
    BoardSummary,
    Progress,
)
from forum.devtools.generate.writer import Writer
from forum.posts.models import Post, ReactionType
from forum.threads.models import Node, Thread


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
            f"TRUNCATE {', '.join(qn(t) for t in tables)} RESTART IDENTITY CASCADE"
        )
    get_user_model().objects.filter(email__endswith="@" + EMAIL_DOMAIN).delete()


def _app_models(label: str):
    from django.apps import apps

    return apps.get_app_config(label).get_models()


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
    writer = Writer(spec, progress, summary)
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
