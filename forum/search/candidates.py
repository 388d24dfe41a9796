"""A search's candidates: the newest FORUM_SEARCH_MAX_RESULTS + 1 matching
posts, each with its rank (forum.search.selectors ranks and pages them).

Newest first is a walk down an index, as far as it takes to meet that many
matches; how to walk depends on what narrows the search:

- nothing but the words (or one member's posts, one thread's): the walk of
  post_created_idx (the member's post_author_idx) reads each post's words where
  it lies, and a rare word's matches come from the word index instead (the
  planner picks);
- a forum, a prefix or a tag (`narrowed`): most posts walked are in other
  threads. The newest posts of the board (WINDOW of them) are walked through
  post_listed_idx, which holds each post's thread, so a post in another thread
  costs an index entry and only the rest are opened for their words; if that
  window holds too few matches, the older ones come from the threads' own posts
  met with the word index (a bitmap of each, and of both), which is what a
  small forum or a rare word needs.
"""

import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Exists, F, OuterRef, Value
from django.db.models.functions import Coalesce

from forum.posts.models import Post

WINDOW = 30_000  # the newest posts walked through post_listed_idx
WALK_ON = 2  # windows more the walk may take before the word index is asked
MAX_THREAD_IDS = 5_000  # more threads than this: the walk goes on instead
READ_ALL = 2_000  # threads with fewer posts have each read for its words


def max_results() -> int:
    return getattr(settings, "FORUM_SEARCH_MAX_RESULTS", 200)


@dataclass(frozen=True)
class Candidate:
    pk: int
    thread_id: int
    created_at: datetime
    rank: float
    in_thread: int = 1  # grouped: how many of the thread's posts matched


def newest(posts, vector, query, limit: int | None = None) -> list[Candidate]:
    """The newest `limit` (max_results() + 1) of `posts` (already matched),
    ranked: one statement; only these rows are ranked (ranking reads each
    one's vector: all of a common word's matches are a tenth of a million-post
    board)."""
    limit = limit or max_results() + 1
    latest = posts.order_by("-created_at", "-id").values("pk")[:limit]
    rows = (
        Post.objects.filter(pk__in=latest)
        .annotate(rank=SearchRank(vector, query))
        .values_list("pk", "thread_id", "created_at", "rank")
    )
    return [Candidate(*row) for row in rows]


def narrowed(
    posts, threads, query, *, narrow, posts_at_most: int | None = None
) -> list[Candidate]:
    """The candidates of a search kept to some threads. `posts`: the viewer's
    listed posts of those threads, words not yet matched; `threads`: the same
    threads (a Thread queryset); `narrow(posts)`: the search's other filters on
    posts (dates, add-ons' filters), for the older posts' statement;
    `posts_at_most`: how many posts those threads hold at most, when known (a
    forum's count): few, and they are read at once."""
    limit = max_results() + 1
    if posts_at_most is not None and posts_at_most <= READ_ALL:
        rows = _thread_rows(threads)
        return _in_threads(rows, query, narrow, limit)
    words = Exists(Post.objects.filter(pk=OuterRef("pk"), search_vector=query))
    boundary = _window_start()
    recent = posts.filter(words)
    if boundary is not None:
        recent = recent.filter(created_at__gte=boundary)
    with _walk_planner():
        found = newest(recent, F("search_vector"), query)
    if len(found) >= limit or boundary is None:
        return found
    # As many more as the window held, at its rate: walk on if that is near;
    # far (a rare word there, or few of these threads' posts are recent), meet
    # the threads' posts with the word's matches instead.
    rows = []
    if (limit - len(found)) * WINDOW > WALK_ON * WINDOW * max(len(found), 1):
        rows = _thread_rows(threads)
    more = limit - len(found)
    if not rows or len(rows) > MAX_THREAD_IDS:
        older = posts.filter(words, created_at__lt=boundary)
        with _walk_planner():
            return found + newest(older, F("search_vector"), query, more)
    return found + _in_threads(rows, query, narrow, more, before=boundary)


def _thread_rows(threads) -> list[tuple[int, int]]:
    """(id, replies) of the threads, one more than MAX_THREAD_IDS at most."""
    return list(threads.values_list("pk", "reply_count")[: MAX_THREAD_IDS + 1])


def _in_threads(rows, query, narrow, limit: int, before=None) -> list[Candidate]:
    """The newest matches among the posts of these threads ((id, replies)
    rows), older than `before`. The threads are named outright, so that the
    planner meets their posts' bitmap with the word's instead of probing the
    word index per thread; and when they hold few posts, each is read for its
    words rather than asking the word index (a common word's entries are a
    tenth of the board)."""
    vector = F("search_vector")
    if sum(replies + 1 for _, replies in rows) <= READ_ALL:
        vector = Coalesce(vector, Value("", output_field=SearchVectorField()))
    older = Post.objects.visible().filter(thread_id__in=[pk for pk, _ in rows])
    if before is not None:
        older = older.filter(created_at__lt=before)
    older = narrow(older.alias(words_of=vector).filter(words_of=query))
    return newest(older, F("search_vector"), query, limit)


_window = {"start": None, "until": 0.0}


def _window_start():
    """When the board's newest WINDOW listed posts begin: one walk of
    post_listed_idx, kept a minute. A start that is a little old makes the
    window a little wider, never the results other: the two statements split
    the posts at it, whatever it is."""
    now = time.monotonic()
    if now >= _window["until"]:
        _window["start"] = (
            Post.objects.visible()
            .order_by("-created_at")
            .values_list("created_at", flat=True)[WINDOW - 1 : WINDOW]
            .first()
        )
        _window["until"] = now + 60
    return _window["start"]


@contextmanager
def _walk_planner():
    """The planner settings of a narrowed walk, for its statement only. The
    walk reads post_listed_idx and opens only the posts that pass to test their
    words: a join of posts to themselves, which PostgreSQL 18 would fold back
    into one scan reading every post it walks. And no parallel workers:
    starting them costs more than the walk."""
    names = {"max_parallel_workers_per_gather": "0"}
    if connection.vendor == "postgresql" and connection.pg_version >= 180000:
        names["enable_self_join_elimination"] = "off"
    # Set for the session and put back after: two statements in or out of a
    # transaction (one that fails and is rolled back takes the change with it).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            + ", ".join(f"current_setting('{name}')" for name in names)
            + ", "
            + ", ".join(f"set_config('{name}', %s, false)" for name in names),
            list(names.values()),
        )
        before = cursor.fetchone()[: len(names)]
        restore = "SELECT " + ", ".join(
            f"set_config('{name}', %s, false)" for name in names
        )
        try:
            yield
        except Exception:
            if not connection.in_atomic_block:  # else the rollback restores them
                cursor.execute(restore, list(before))
            raise
        cursor.execute(restore, list(before))
