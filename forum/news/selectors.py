"""Reads for quoted articles: the cards on a thread page, an article's page, a
publication's page, and "already discussed" for the new-thread form."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse

from forum.core.markup import render_bbcode
from forum.core.pagination import PageNav, page_nav
from forum.news.embeds import PostNews, embedded_refs, swap_cards
from forum.news.models import MAX_ARTICLES_PER_POST, NewsQuote, PostArticle, Publication
from forum.policy import can_edit_news_quote, can_retry_news_fetch, can_view_thread
from forum.threads.models import Thread


def render_card(quote: NewsQuote) -> str:
    """The card's HTML (publication, headline, date, byline, picture, excerpt)."""
    return render_to_string("news/_card.html", {"quote": quote})


def _visible_links():
    """Links from posts everyone may read: shown posts in threads not deleted."""
    return PostArticle.objects.filter(
        post__is_deleted=False,
        post__is_approved=True,
        post__thread__is_deleted=False,
    )


# ---------------------------------------------------------------------------
# Thread pages
# ---------------------------------------------------------------------------


# What the renderer writes for [NEWS=id] and for a link whose text is its address.
_MAY_EMBED = re.compile(r'class="news-embed"|target="_blank">https?://', re.IGNORECASE)


def may_embed(body_html: str) -> bool:
    """Whether a post's HTML has anything that could be an article embed."""
    return bool(_MAY_EMBED.search(body_html))


def news_for_posts(user, posts) -> dict[int, PostNews]:
    """What each post's embeds become, for a whole page of posts in ONE query.

    A card renders once however many posts on the page quote it. Links whose card
    is not ready stay plain; the member who may write a failed card by hand gets
    a link to do so next to it.
    """
    # Only posts that can embed anything are asked about: a page of plain text
    # costs no query at all.
    post_ids = [post.pk for post in posts if may_embed(post.body_html)]
    if not post_ids:
        return {}
    links = (
        PostArticle.objects.filter(post_id__in=post_ids)
        .select_related("quote__publication")
        .order_by("post_id", "position")
    )
    cards: dict[int, str] = {}
    news: dict[int, PostNews] = {}
    for link in links:
        quote = link.quote
        entry = news.setdefault(link.post_id, PostNews())
        if quote.is_shown:
            if quote.pk not in cards:
                cards[quote.pk] = render_card(quote)
            entry.by_id[quote.pk] = cards[quote.pk]
            entry.by_url[quote.url] = cards[quote.pk]
            if link.url:
                entry.by_url[link.url] = cards[quote.pk]
        elif quote.status == NewsQuote.Status.FAILED and link.url:
            entry.per_viewer = True
            if can_edit_news_quote(user, quote):
                edit_url = reverse("news:edit", kwargs={"pk": quote.pk})
                entry.after_link[link.url] = (
                    f' <a class="news-fill" href="{edit_url}">'
                    "Write the article card by hand</a>"
                )
    return news


def preview_cards(user, body_html: str) -> str:
    """A text not yet posted, with the cards it will show: those of articles
    the forum already has (a new link is fetched once the post is made)."""
    quotes = [q for q in _quotes_in(body_html) if q.is_shown]
    if not quotes:
        return body_html
    news = PostNews()
    for quote in quotes:
        card = render_card(quote)
        news.by_id[quote.pk] = card
        news.by_url[quote.url] = card
    aliases = PostArticle.objects.filter(quote__in=quotes).exclude(url="")
    for url, quote_id in aliases.values_list("url", "quote_id"):
        news.by_url.setdefault(url, news.by_id[quote_id])
    return swap_cards(body_html, news)


def attach_news(user, rows) -> None:
    """Set ``row.news`` on thread-page rows (anything with ``.post``)."""
    news = news_for_posts(user, [row.post for row in rows])
    for row in rows:
        row.news = news.get(row.post.pk)


# ---------------------------------------------------------------------------
# "Already discussed"
# ---------------------------------------------------------------------------


@dataclass
class Discussion:
    quote: NewsQuote
    threads: list[Thread]


def _quotes_in(body_html: str) -> list[NewsQuote]:
    refs = embedded_refs(body_html)[: MAX_ARTICLES_PER_POST * 2]
    ids = [value for kind, value in refs if kind == "id"]
    urls = [value for kind, value in refs if kind == "url"]
    if not refs:
        return []
    found: dict[int, NewsQuote] = {}
    for quote in NewsQuote.objects.filter(Q(pk__in=ids) | Q(url__in=urls)):
        found[quote.pk] = quote
    known = {quote.url for quote in found.values()}
    aliases = [url for url in urls if url not in known]
    if aliases:
        for link in PostArticle.objects.filter(url__in=aliases).select_related("quote"):
            found[link.quote_id] = link.quote
    return list(found.values())


def already_discussed(user, body: str, *, limit: int = 5) -> list[Discussion]:
    """Threads the viewer can see that already quote an article this (unsaved)
    BBCode body embeds, newest first, per article."""
    quotes = _quotes_in(render_bbcode(body))
    if not quotes:
        return []
    by_quote: dict[int, Discussion] = {
        quote.pk: Discussion(quote, []) for quote in quotes
    }
    links = (
        _visible_links()
        .filter(quote_id__in=by_quote)
        .select_related("post__thread__node")
        .order_by("-post__created_at")[:200]
    )
    seen: set[tuple[int, int]] = set()
    for link in links:
        thread = link.post.thread
        discussion = by_quote[link.quote_id]
        key = (link.quote_id, thread.pk)
        if key in seen or len(discussion.threads) >= limit:
            continue
        seen.add(key)
        if can_view_thread(user, thread):
            discussion.threads.append(thread)
    return [d for d in by_quote.values() if d.threads]


# ---------------------------------------------------------------------------
# An article's page
# ---------------------------------------------------------------------------


@dataclass
class ThreadQuoting:
    thread: Thread
    posts: list = field(default_factory=list)


@dataclass
class ArticlePage:
    quote: NewsQuote
    card: str
    threads: list[ThreadQuoting]
    can_edit: bool
    can_retry: bool


MAX_POSTS_LISTED = 200


def article_page(user, quote: NewsQuote) -> ArticlePage:
    """The card and every visible post quoting it, grouped by thread (threads by
    their latest quoting post, newest first)."""
    links = (
        _visible_links()
        .filter(quote=quote)
        .select_related("post__thread__node")
        .order_by("-post__created_at", "-post_id")[:MAX_POSTS_LISTED]
    )
    threads: dict[int, ThreadQuoting] = {}
    for link in links:
        post = link.post
        if post.thread_id not in threads:
            if not can_view_thread(user, post.thread):
                continue
            threads[post.thread_id] = ThreadQuoting(post.thread)
        threads[post.thread_id].posts.append(post)
    return ArticlePage(
        quote=quote,
        card=render_card(quote) if quote.is_shown else "",
        threads=list(threads.values()),
        can_edit=can_edit_news_quote(user, quote),
        can_retry=can_retry_news_fetch(user, quote),
    )


# ---------------------------------------------------------------------------
# A publication's page
# ---------------------------------------------------------------------------


@dataclass
class ThreadRow:
    thread: Thread
    quoted_at: object
    headlines: list[NewsQuote]


@dataclass
class PublicationPage:
    publication: Publication
    rows: list[ThreadRow]
    nav: PageNav
    article_count: int


def publication_page(user, publication: Publication, page: int) -> PublicationPage:
    """Threads quoting the publication's articles, the most recently quoting
    first, a page at a time; each row names the articles it quotes."""
    per_page = settings.FORUM_THREADS_PER_PAGE
    threads = (
        Thread.objects.visible()
        .filter(
            posts__news_articles__quote__publication=publication,
            posts__is_deleted=False,
            posts__is_approved=True,
        )
        .annotate(quoted_at=Max("posts__created_at"))
        .select_related("node")
        .order_by("-quoted_at", "-id")
    )
    total = threads.count()
    nav = page_nav(page, -(-total // per_page))
    start = (nav.current - 1) * per_page
    shown = [t for t in threads[start : start + per_page] if can_view_thread(user, t)]
    headlines: dict[int, dict[int, NewsQuote]] = {t.pk: {} for t in shown}
    links = (
        _visible_links()
        .filter(post__thread__in=shown, quote__publication=publication)
        .select_related("quote", "post")
        .order_by("-post__created_at")
    )
    for link in links:
        headlines[link.post.thread_id].setdefault(link.quote_id, link.quote)
    return PublicationPage(
        publication=publication,
        rows=[ThreadRow(t, t.quoted_at, list(headlines[t.pk].values())) for t in shown],
        nav=nav,
        article_count=publication.quotes.showable().count(),
    )
