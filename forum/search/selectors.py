"""Search: PostgreSQL full-text search over posts.

Each post's `search_vector` is written with the post (forum.posts.services.
index_post): the thread title at weight A on the first post, the text at weight B,
English stemming, behind a GIN index. A query is parsed by websearch_to_tsquery, so
members type what they type into any search box: words, "a quoted phrase",
-excluded, `or`.

Results are visible posts in visible threads of forums the viewer may see, ranked
by ts_rank (newest first among equals), 20 a page, at most
FORUM_SEARCH_MAX_RESULTS (200, as on XenForo) in all; with `group`, one per
thread (its best post, and how many of its posts matched). A search is two
statements (a few more when a forum, prefix or tag narrows it): the candidates,
the newest 201 matches walked newest first and ranked in the same statement,
only those (forum.search.candidates: how each kind of search walks); then the
shown page, by id, with its snippets
from ts_headline (so a page far down costs what the first does). Titles only
reads the title index (migration 0001) and the first posts of the matching
threads. Apps add filters (prefixes, tags) through forum.search.filters.
"""

import html
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import F, Func, TextField, Value
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from forum.core.pagination import PageNav, page_nav
from forum.posts.models import Post
from forum.search import filters
from forum.search.candidates import Candidate, max_results, newest
from forum.search.candidates import narrowed as candidates_of_threads
from forum.threads import tagging
from forum.threads.models import Thread, listed_node_ids
from forum.threads.reading import subtree_post_counts

CONFIG = "english"
PER_PAGE = 20
# Private-use characters mark the highlighted words: they survive escaping and
# are removed from the text first, so nothing in a post can forge them.
_START, _STOP = "\ue000", "\ue001"
_HEADLINE_OPTIONS = (
    f"StartSel={_START}, StopSel={_STOP}, MaxWords=40, MinWords=15, "
    'ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "'
)
_TITLE_OPTIONS = f"StartSel={_START}, StopSel={_STOP}, HighlightAll=true"


@dataclass(frozen=True)
class SearchParams:
    q: str
    node_id: int | None = None
    thread_id: int | None = None
    member: str = ""
    date_from: date | None = None
    date_to: date | None = None
    titles_only: bool = False
    prefix_id: int | None = None  # threads with this prefix (forum.threads)
    tag: str = ""  # threads under this tag (its name, any spelling)
    group: bool = False  # one result per thread (?group=thread)
    # Filters added by other apps (forum.search.filters): {name: value}.
    extra: tuple = ()


@dataclass
class SearchHit:
    post: Post
    title: SafeString  # the thread title, matched words marked
    snippet: SafeString
    rank: float
    in_thread: int = 1  # grouped per thread: how many of its posts matched


@dataclass
class SearchResults:
    params: SearchParams
    hits: list[SearchHit] = field(default_factory=list)
    nav: PageNav = field(default_factory=lambda: page_nav(1, 1))
    total: int = 0
    capped: bool = False  # there may be more than `total`
    notice: str = ""  # why there is nothing to show, in words for the member


class TitleVector(Func):
    """A thread title's stemmed words, spelled as the title index has them
    (forum/search/migrations/0001_title_index.py), so the planner uses it."""

    template = f"to_tsvector('{CONFIG}'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


def title_matches(query):
    """The ids of threads not deleted whose titles match `query` (a
    SearchQuery), through the title index; visibility is the caller's."""
    return (
        Thread.objects.filter(is_deleted=False)
        .alias(title_vector=TitleVector(F("title")))
        .filter(title_vector=query)
        .values("pk")
    )


class _PlainText(Func):
    """Post HTML with its tags replaced by spaces and the snippet markers removed;
    entities are decoded in Python after ts_headline."""

    output_field = TextField()

    template = (
        "regexp_replace(regexp_replace(%(expressions)s, '<[^>]*>', ' ', 'g'), "
        f"'[{_START}{_STOP}]', '', 'g')"
    )


class _TextAsHtml(Func):
    """Plain text (a thread title) written as HTML text, so that ts_headline keeps
    every character and `highlight` decodes it back; snippet markers removed."""

    template = (
        "replace(replace(replace(regexp_replace(%(expressions)s, "
        f"'[{_START}{_STOP}]', '', 'g'), '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
    )
    output_field = TextField()


class _Headline(Func):
    output_field = TextField()
    template = f"ts_headline('{CONFIG}'::regconfig, %(expressions)s)"


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def highlight(headline: str) -> SafeString:
    """ts_headline output (text with markers and HTML entities) as safe HTML where
    only the <mark> tags are markup."""
    text = escape(html.unescape(headline))
    return mark_safe(  # noqa: S308 - escaped above; only our own tags added
        text.replace(_START, "<mark>").replace(_STOP, "</mark>")
    )


def _has_lexemes(q: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT numnode(websearch_to_tsquery(%s, %s)) > 0", [CONFIG, q])
        return cursor.fetchone()[0]


def search_posts(user, params: SearchParams, page: int) -> SearchResults:
    """One page of ranked results (grouped one per thread with `params.group`).
    Queries: the member named (if any), the candidates with their ranks and the
    page itself with its highlights (the viewer's forums come from the
    permission module's cached policy)."""
    results = SearchResults(params=params)
    query = SearchQuery(params.q, search_type="websearch", config=CONFIG)
    node_ids, posts_at_most = None, None
    if params.node_id:
        subtree = subtree_post_counts(params.node_id)
        node_ids, posts_at_most = list(subtree), sum(subtree.values())
    posts = Post.objects.listed_for(user, node_ids=node_ids)
    on_threads = {}  # the same narrowing, for the threads themselves
    if params.thread_id:
        posts = posts.filter(thread_id=params.thread_id)
    if params.member:
        member = (
            get_user_model()
            .objects.filter(username__iexact=params.member)
            .only("pk")
            .first()
        )
        if member is None:
            results.notice = f'There is no member named "{params.member}".'
            return results
        posts = posts.filter(author_id=member.pk)
    if params.prefix_id:
        posts = posts.filter(thread__prefix_id=params.prefix_id)
        on_threads["prefix_id"] = params.prefix_id
    if params.tag:
        tags = tagging.resolve([params.tag], create=False)
        if not tags:
            results.notice = f'There is no tag "{params.tag}".'
            return results
        posts = posts.filter(thread__thread_tags__tag=tags[0])
        on_threads["thread_tags__tag"] = tags[0]

    def narrow(found):
        """The filters on posts themselves: dates, and the add-ons'."""
        if params.date_from:
            found = found.filter(created_at__gte=_day_start(params.date_from))
        if params.date_to:
            found = found.filter(
                created_at__lt=_day_start(params.date_to + timedelta(days=1))
            )
        return filters.apply(found, params, query)

    posts = narrow(posts)
    vector = F("search_vector")
    if params.titles_only:
        # The threads whose titles match, from their own index (migration 0001:
        # a few hundred rows for a common word, not a tenth of the board's
        # posts), then each one's first post.
        vector = TitleVector(F("thread__title"))
        matched = title_matches(query)
        narrowed = (
            params.member
            or params.date_from
            or params.date_to
            or params.extra
            or params.prefix_id
            or params.tag
        )
        if not narrowed:
            # Nothing else narrows: the newest matching threads are the
            # candidates (their first posts), so only those are joined.
            matched = matched.filter(
                node_id__in=listed_node_ids(user, node_ids)
            ).order_by("-created_at", "-id")[: max_results() + 1]
        posts = posts.filter(position=0, thread_id__in=matched)
        candidates = newest(posts, vector, query)
    elif (params.node_id or params.prefix_id or params.tag) and not (
        params.member or params.thread_id
    ):
        # Kept to some threads, from all the board's posts (one member's or
        # one thread's posts have their own index): forum.search.candidates.
        candidates = candidates_of_threads(
            posts,
            Thread.objects.listed_for(user, node_ids=node_ids).filter(**on_threads),
            query,
            narrow=narrow,
            posts_at_most=posts_at_most,
        )
    else:
        candidates = newest(posts.filter(search_vector=query), vector, query)
    results.capped = len(candidates) > max_results()
    if results.capped:
        candidates.remove(min(candidates, key=lambda c: (c.created_at, c.pk)))
    ranked = sorted(
        candidates, key=lambda c: (-c.rank, -c.created_at.timestamp(), -c.pk)
    )
    if params.group:
        ranked = _per_thread(ranked)
    results.total = len(ranked)
    if not results.total:
        results.notice = (
            "No results: your search holds only very common words."
            if not _has_lexemes(params.q)
            else "No results matched your search."
        )
        return results
    results.nav = page_nav(page, -(-results.total // PER_PAGE))
    start = (results.nav.current - 1) * PER_PAGE
    shown = ranked[start : start + PER_PAGE]
    results.hits = _hits(shown, vector, query, params)
    return results


def _per_thread(ranked: list[Candidate]) -> list[Candidate]:
    """One result per thread, its best-ranked post, with how many matched."""
    best: dict[int, Candidate] = {}
    counts: dict[int, int] = {}
    for candidate in ranked:
        counts[candidate.thread_id] = counts.get(candidate.thread_id, 0) + 1
        best.setdefault(candidate.thread_id, candidate)
    return [
        replace(candidate, in_thread=counts[candidate.thread_id])
        for candidate in best.values()
    ]


def _hits(shown: list[Candidate], vector, query, params) -> list[SearchHit]:
    """The page's posts with their highlights: ts_headline runs for these
    rows only."""
    headline_source = (
        _TextAsHtml(F("thread__title"))
        if params.titles_only
        else _PlainText(F("body_html"))
    )
    rows = (
        Post.objects.filter(pk__in=[c.pk for c in shown])
        .annotate(
            headline=_Headline(headline_source, query, Value(_HEADLINE_OPTIONS)),
            title_headline=_Headline(
                _TextAsHtml(F("thread__title")), query, Value(_TITLE_OPTIONS)
            ),
        )
        .select_related("thread", "thread__node")
        .defer("body", "search_vector", "body_html")
    )
    by_id = {post.pk: post for post in rows}
    hits = []
    for candidate in shown:
        post = by_id.get(candidate.pk)
        if post is None:  # gone between the two statements
            continue
        hits.append(
            SearchHit(
                post=post,
                title=highlight(post.title_headline),
                snippet=highlight(post.headline),
                rank=candidate.rank,
                in_thread=candidate.in_thread,
            )
        )
    return hits
