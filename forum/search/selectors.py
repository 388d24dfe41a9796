"""Search: PostgreSQL full-text search over posts.

Each post's `search_vector` is written with the post (forum.posts.services.
index_post): the thread title at weight A on the first post, the text at weight B,
English stemming, behind a GIN index. A query is parsed by websearch_to_tsquery, so
members type what they type into any search box: words, "a quoted phrase",
-excluded, `or`.

Results are visible posts in visible threads of forums the viewer may see, ranked
by ts_rank (newest first among equals), 20 a page, at most
FORUM_SEARCH_MAX_RESULTS (200, as on XenForo) in all. When more posts match, the
newest of them are ranked: ranking reads each candidate's vector, and a common
word matches a tenth of a million-post board (3 s to rank them all; ~0.1 s this
way). Snippets come from ts_headline run on the post's text with its markup
removed, in the same query, for the page's rows only (PostgreSQL evaluates an
expensive output column after ORDER BY/LIMIT).
"""

import html
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import F, Func, TextField, Value
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from forum.core.pagination import PageNav, page_nav
from forum.posts.models import Post
from forum.threads.models import Node
from forum.threads.reading import descendant_ids

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


def _max_results() -> int:
    return getattr(settings, "FORUM_SEARCH_MAX_RESULTS", 200)


@dataclass(frozen=True)
class SearchParams:
    q: str
    node_id: int | None = None
    thread_id: int | None = None
    member: str = ""
    date_from: date | None = None
    date_to: date | None = None
    titles_only: bool = False


@dataclass
class SearchHit:
    post: Post
    title: SafeString  # the thread title, matched words marked
    snippet: SafeString
    rank: float


@dataclass
class SearchResults:
    params: SearchParams
    hits: list[SearchHit] = field(default_factory=list)
    nav: PageNav = field(default_factory=lambda: page_nav(1, 1))
    total: int = 0
    capped: bool = False  # there may be more than `total`
    notice: str = ""  # why there is nothing to show, in words for the member


class _TsFilter(Func):
    """ts_filter(vector, '{a}'): only the lexemes of the given weights."""

    function = "ts_filter"
    output_field = SearchVectorField()


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
    """One page of ranked results. Queries: the member named (if any), the capped
    count and the page itself (the viewer's forums come from the permission
    module's cached policy)."""
    results = SearchResults(params=params)
    query = SearchQuery(params.q, search_type="websearch", config=CONFIG)
    node_ids = descendant_ids(Node(pk=params.node_id)) if params.node_id else None
    posts = Post.objects.listed_for(user, node_ids=node_ids).filter(search_vector=query)
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
    if params.date_from:
        posts = posts.filter(created_at__gte=_day_start(params.date_from))
    if params.date_to:
        posts = posts.filter(
            created_at__lt=_day_start(params.date_to + timedelta(days=1))
        )
    vector = F("search_vector")
    if params.titles_only:
        # Titles live at weight A on first posts only: match and rank on that part
        # of the vector (the plain @@ above still narrows through the GIN index).
        vector = _TsFilter(F("search_vector"), Value("{a}"))
        posts = posts.filter(position=0).alias(title_vector=vector)
        posts = posts.filter(title_vector=query)

    capped = posts[: _max_results() + 1].count()
    results.total = min(capped, _max_results())
    results.capped = capped > _max_results()
    if not results.total:
        results.notice = (
            "No results: your search holds only very common words."
            if not _has_lexemes(params.q)
            else "No results matched your search."
        )
        return results
    results.nav = page_nav(page, -(-results.total // PER_PAGE))
    start = (results.nav.current - 1) * PER_PAGE
    headline_source = (
        _TextAsHtml(F("thread__title"))
        if params.titles_only
        else _PlainText(F("body_html"))
    )
    if results.capped:
        # A broad query (a common word) matches a large share of the board, and
        # ranking every match means reading every match's vector. Rank only the
        # newest FORUM_SEARCH_MAX_RESULTS matches (by id).
        newest = posts.order_by("-id").values("pk")[: _max_results()]
        posts = Post.objects.filter(pk__in=newest)
    rows = (
        posts.annotate(
            rank=SearchRank(vector, query),
            headline=_Headline(
                headline_source,
                query,
                Value(_HEADLINE_OPTIONS),
            ),
            title_headline=_Headline(
                _TextAsHtml(F("thread__title")),
                query,
                Value(_TITLE_OPTIONS),
            ),
        )
        .select_related("thread", "thread__node")
        .defer("body", "search_vector", "body_html")
        .order_by("-rank", "-created_at", "-id")[start : start + PER_PAGE]
    )
    for post in rows:
        results.hits.append(
            SearchHit(
                post=post,
                title=highlight(post.title_headline),
                snippet=highlight(post.headline),
                rank=post.rank,
            )
        )
    return results


def benchmark_filters(base: SearchParams) -> list:
    return []
