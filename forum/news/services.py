"""Writes for quoted articles: link a post to its articles, fill a card from the
site (in the worker) or by hand, and retry a failed fetch.

Posting never waits for a website: attach_articles runs inside the posting
transaction, records which articles the post embeds, creates a pending NewsQuote
for a link never seen before and queues its fetch on commit. The fetch
(fetch_article, run by the worker) does its network I/O outside any transaction
and then writes the card under a row lock, so a member's hand-written card is
never overwritten by a fetch that finishes late.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from forum.core.images import ImageRejected, process_news_image
from forum.core.media import hashed_name, store_once
from forum.core.pagecache import invalidate
from forum.news.embeds import embedded_refs, normalized, site_domain
from forum.news.fetcher import (
    FetchedPage,
    FetchFailed,
    FetchPolicy,
    FetchRefused,
    fetch_image,
    fetch_page,
    normalize_url,
)
from forum.news.metadata import ArticleMeta, parse_article
from forum.news.models import (
    EXCERPT_MAX_LENGTH,
    HEADLINE_MAX_LENGTH,
    MAX_ARTICLES_PER_POST,
    NAME_MAX_LENGTH,
    URL_MAX_LENGTH,
    NewsQuote,
    PostArticle,
    Publication,
)

logger = logging.getLogger(__name__)

# A link pasted again within this time reuses the card as it is.
REFETCH_AFTER = timedelta(days=1)

_NO_HEADLINE = "The page has no headline we could read."
_UNEXPECTED = "Something went wrong while reading the article."


class CardRefused(Exception):
    """A card change that may not be made; str() is the message for the member."""


def fetch_policy() -> FetchPolicy:
    """The fetcher's limits from settings; NEWS_FETCH_TIMEOUT (seconds) caps the
    whole fetch, redirects included."""
    policy = FetchPolicy.from_settings()
    timeout = getattr(settings, "NEWS_FETCH_TIMEOUT", None)
    if timeout:
        seconds = float(timeout)
        policy = dataclasses.replace(
            policy,
            total_timeout=seconds,
            connect_timeout=min(policy.connect_timeout, seconds),
        )
    return policy


def _enqueue_fetch(quote_id: int) -> None:
    from forum.news.tasks import fetch_news_quote

    transaction.on_commit(partial(fetch_news_quote.enqueue, quote_id=quote_id))


def _invalidate_threads_showing(quote_ids) -> None:
    thread_ids = (
        PostArticle.objects.filter(quote_id__in=quote_ids)
        .values_list("post__thread_id", flat=True)
        .distinct()
    )
    names = [f"thread:{thread_id}" for thread_id in thread_ids]
    if names:
        invalidate(*names)


# ---------------------------------------------------------------------------
# Posts and the articles they embed
# ---------------------------------------------------------------------------


def _quotes_for_urls(urls: list[str]) -> dict[str, NewsQuote]:
    """Existing cards for normalized links: by their own URL first, then by a link
    that an earlier post wrote for them (the card may since have moved to the
    article's canonical URL)."""
    if not urls:
        return {}
    found = {quote.url: quote for quote in NewsQuote.objects.filter(url__in=urls)}
    missing = [url for url in urls if url not in found]
    if missing:
        aliases = (
            PostArticle.objects.filter(url__in=missing)
            .select_related("quote")
            .order_by("-id")
        )
        for link in aliases:
            found.setdefault(link.url, link.quote)
    return found


def _claim_refetch(quote: NewsQuote, now) -> bool:
    """True when this caller should queue a refresh of a card older than a day;
    the conditional update lets only one of two simultaneous posts win."""
    if quote.status != NewsQuote.Status.OK or quote.manual:
        return False
    if quote.fetched_at is not None and quote.fetched_at > now - REFETCH_AFTER:
        return False
    stale = NewsQuote.objects.filter(pk=quote.pk, status=NewsQuote.Status.OK)
    if quote.fetched_at is None:
        stale = stale.filter(fetched_at=None)
    else:
        stale = stale.filter(fetched_at__lte=now - REFETCH_AFTER)
    return stale.update(fetched_at=now) == 1


@transaction.atomic
def attach_articles(*, post, by=None) -> list[NewsQuote]:
    """Make the post's article links match what its body embeds now.

    Called by the posting services, inside their transaction, after a post is
    created or its text edited. Embeds are ``[NEWS=id]`` tags and http(s) links
    alone on their line (see forum.news.embeds); at most MAX_ARTICLES_PER_POST
    distinct articles count, further links stay plain links. A link seen before
    reuses its NewsQuote (fetched at most once a day; a failed one is fetched
    again only when staff retry it); a new link gets a pending NewsQuote, created
    by ``by`` (default: the post's author), whose fetch is queued on commit.
    Returns the post's articles in order.
    """
    # A link longer than a card's address can hold stays a plain link.
    refs = [
        (kind, value)
        for kind, value in embedded_refs(post.body_html)
        if kind == "id" or len(value) <= URL_MAX_LENGTH
    ]
    if not refs and post.edited_at is None:
        # A post that was never edited has had no chance to embed anything yet.
        return []
    by = by if by is not None else post.author
    now = timezone.now()
    ids = [value for kind, value in refs if kind == "id"]
    by_id = NewsQuote.objects.in_bulk(ids) if ids else {}
    by_url = _quotes_for_urls([value for kind, value in refs if kind == "url"])

    chosen: dict[int, PostArticle] = {}
    quotes: list[NewsQuote] = []
    for kind, value in refs:
        if len(chosen) >= MAX_ARTICLES_PER_POST:
            break
        url = value if kind == "url" else ""
        if kind == "id":
            quote = by_id.get(value)
            if quote is None:
                continue
        else:
            quote = by_url.get(url)
            if quote is None:
                quote, created = NewsQuote.objects.get_or_create(
                    url=url, defaults={"created_by": by, "created_at": now}
                )
                by_url[url] = quote
                if created:
                    _enqueue_fetch(quote.pk)
        link = chosen.get(quote.pk)
        if link is not None:
            link.url = link.url or url
            continue
        chosen[quote.pk] = PostArticle(
            post=post, quote=quote, position=len(chosen), url=url
        )
        quotes.append(quote)
        if _claim_refetch(quote, now):
            _enqueue_fetch(quote.pk)

    PostArticle.objects.filter(post=post).delete()
    PostArticle.objects.bulk_create(chosen.values())
    return quotes


# ---------------------------------------------------------------------------
# Fetching a card (the worker)
# ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _StoredImage:
    name: str
    width: int
    height: int


def _store_image(quote_id: int, jpeg: bytes, width: int, height: int) -> _StoredImage:
    """Stored under a name holding a digest of the bytes (cached a year): a
    fetch that finds the same picture again finds the same file."""
    field = NewsQuote._meta.get_field("image")
    wanted = hashed_name(field.generate_filename(None, f"{quote_id}.jpg"), jpeg)
    return _StoredImage(store_once(field.storage, wanted, jpeg), width, height)


def _delete_unused_file(name: str) -> None:
    """Delete a picture no card shows any more. A content-addressed name may be
    the very file a card was just given again (the same picture fetched twice),
    so the rows are asked first."""
    if name and not NewsQuote.objects.filter(image=name).exists():
        NewsQuote._meta.get_field("image").storage.delete(name)


def _delete_file_on_commit(name: str) -> None:
    if name:
        transaction.on_commit(partial(_delete_unused_file, name))


def _card_image(quote_id: int, image_url: str, policy) -> _StoredImage | None:
    """The article's picture, re-encoded and stored; None when there is none we
    can use (the card then simply has no picture)."""
    if not image_url:
        return None
    try:
        fetched = fetch_image(image_url, policy=policy)
        jpeg, width, height = process_news_image(fetched.data)
    except (FetchRefused, FetchFailed, ImageRejected) as problem:
        logger.info("No picture for news quote %s: %s", quote_id, problem)
        return None
    return _store_image(quote_id, jpeg, width, height)


def _same_site(a: str, b: str) -> bool:
    first, second = site_domain(a), site_domain(b)
    if not first or not second:
        return False
    return (
        first == second or first.endswith("." + second) or second.endswith("." + first)
    )


def _canonical_url(meta: ArticleMeta, page: FetchedPage) -> str:
    """Where the article says it lives, when that is on the site we fetched: a
    page may not claim another site's article (its card would then answer for
    that article's link)."""
    final = normalized(page.final_url) or page.url
    claimed = normalized(meta.canonical_url) if meta.canonical_url else None
    if claimed and len(claimed) <= URL_MAX_LENGTH and _same_site(claimed, final):
        return claimed
    return final if len(final) <= URL_MAX_LENGTH else page.url


def _publication_for(url: str, name: str) -> Publication | None:
    domain = site_domain(url)
    if not domain:
        return None
    name = (name or "").strip()[:NAME_MAX_LENGTH] or domain
    publication, created = Publication.objects.get_or_create(
        domain=domain, defaults={"name": name}
    )
    if not created and publication.name == domain and name != domain:
        # The first fetch only knew the domain; now the site names itself.
        Publication.objects.filter(pk=publication.pk).update(name=name)
        publication.name = name
    return publication


def _fill_card(quote: NewsQuote, meta: ArticleMeta, image, now) -> None:
    old_image = quote.image.name if image is not None else ""
    quote.headline = meta.headline[:HEADLINE_MAX_LENGTH]
    quote.author = meta.author[:NAME_MAX_LENGTH]
    quote.published = meta.published
    quote.dateline = meta.dateline[:100]
    quote.excerpt = meta.excerpt[:EXCERPT_MAX_LENGTH]
    quote.publication = _publication_for(quote.url, meta.publication)
    if image is not None:
        quote.image.name = image.name
        quote.image_width, quote.image_height = image.width, image.height
    quote.status = NewsQuote.Status.OK
    quote.error = ""
    quote.fetched_at = now
    quote.save()
    _delete_file_on_commit(old_image)


def _move_links(source: NewsQuote, target: NewsQuote) -> None:
    """Point the source card's posts at the target card (one link per post)."""
    linked = PostArticle.objects.filter(quote=target).values("post_id")
    PostArticle.objects.filter(quote=source, post_id__in=linked).delete()
    PostArticle.objects.filter(quote=source).update(quote=target)


@transaction.atomic
def _record_article(quote_id: int, page: FetchedPage, meta: ArticleMeta, image):
    now = timezone.now()
    quote = NewsQuote.objects.select_for_update().filter(pk=quote_id).first()
    if quote is None or quote.manual:
        # Deleted meanwhile, or a member wrote the card by hand while we fetched.
        _delete_file_on_commit(image.name if image else "")
        return "skipped"
    canonical = _canonical_url(meta, page)
    if canonical != quote.url:
        holder = (
            NewsQuote.objects.select_for_update()
            .filter(url=canonical)
            .exclude(pk=quote.pk)
            .first()
        )
        if holder is not None:
            # Two links, one article: the card that already has the article's
            # address keeps it, and this one's posts move over to it.
            _move_links(quote, holder)
            if not holder.is_shown:
                _fill_card(holder, meta, image, now)
            else:
                _delete_file_on_commit(image.name if image else "")
            _delete_file_on_commit(quote.image.name)
            quote.delete()
            _invalidate_threads_showing([holder.pk])
            return "merged"
        quote.url = canonical
    _fill_card(quote, meta, image, now)
    _invalidate_threads_showing([quote.pk])
    return "ok"


@transaction.atomic
def _record_failure(quote_id: int, message: str) -> str:
    quote = NewsQuote.objects.select_for_update().filter(pk=quote_id).first()
    if quote is None or quote.manual:
        return "skipped"
    if quote.status == NewsQuote.Status.OK:
        # A refresh failed: the card from the last good fetch stays.
        NewsQuote.objects.filter(pk=quote.pk).update(
            fetched_at=timezone.now(), error=message[:300]
        )
        return "ok"
    NewsQuote.objects.filter(pk=quote.pk).update(
        status=NewsQuote.Status.FAILED, error=message[:300], fetched_at=timezone.now()
    )
    _invalidate_threads_showing([quote.pk])
    return "failed"


def fetch_article(*, quote_id: int) -> str:
    """Fetch the article behind a card and fill the card (run by the worker).

    Ends in "ok" (the card shows), "failed" (the posts keep their plain link and
    ``error`` says why), "merged" (the page's canonical URL already had a card,
    which now serves this card's posts) or "skipped" (the card was written by
    hand or deleted meanwhile). Never raises for anything a website can do.
    """
    quote = NewsQuote.objects.filter(pk=quote_id).only("url", "manual").first()
    if quote is None or quote.manual:
        return "skipped"
    policy = fetch_policy()
    try:
        page = fetch_page(quote.url, policy=policy)
        meta = parse_article(page.text, base_url=page.final_url)
        if not meta.headline:
            raise FetchFailed(_NO_HEADLINE)
        image = _card_image(quote_id, meta.image_url, policy)
    except (FetchRefused, FetchFailed) as problem:
        return _record_failure(quote_id, str(problem))
    except Exception:
        logger.exception("Fetching news quote %s failed", quote_id)
        return _record_failure(quote_id, _UNEXPECTED)
    try:
        return _record_article(quote_id, page, meta, image)
    except Exception:
        logger.exception("Saving news quote %s failed", quote_id)
        if image is not None:
            _delete_unused_file(image.name)
        return _record_failure(quote_id, _UNEXPECTED)


# ---------------------------------------------------------------------------
# People: staff retries and hand-written cards
# ---------------------------------------------------------------------------


@transaction.atomic
def retry_fetch(*, actor, quote: NewsQuote) -> NewsQuote:
    """Fetch a card's article again (staff). A failed card goes back to pending;
    a fetched card stays shown until the new fetch succeeds. Refuses cards
    written by hand: those are corrected by editing them."""
    quote = NewsQuote.objects.select_for_update().get(pk=quote.pk)
    if quote.manual:
        raise CardRefused("This card was written by hand; edit it instead.")
    if quote.status == NewsQuote.Status.FAILED:
        quote.status = NewsQuote.Status.PENDING
    quote.error = ""
    quote.save(update_fields=["status", "error"])
    _enqueue_fetch(quote.pk)
    logger.info("%s asked for news quote %s to be fetched again", actor, quote.pk)
    return quote


@transaction.atomic
def write_card(
    *,
    editor,
    quote: NewsQuote,
    headline: str,
    publication_name: str = "",
    published=None,
    author: str = "",
    dateline: str = "",
    excerpt: str = "",
) -> NewsQuote:
    """Fill or correct a card by hand. The card becomes a manual one: it shows
    at once, and no fetch (queued or future) overwrites it."""
    quote = NewsQuote.objects.select_for_update().get(pk=quote.pk)
    headline = " ".join(headline.split())[:HEADLINE_MAX_LENGTH]
    if not headline:
        raise CardRefused("A card needs a headline.")
    publication = quote.publication
    name = " ".join(publication_name.split())[:NAME_MAX_LENGTH]
    if name and (publication is None or publication.name != name):
        publication = _publication_for(quote.url, name)
    quote.headline = headline
    quote.publication = publication
    quote.published = published
    quote.author = " ".join(author.split())[:NAME_MAX_LENGTH]
    quote.dateline = " ".join(dateline.split())[:100]
    quote.excerpt = excerpt.strip()[:EXCERPT_MAX_LENGTH]
    quote.status = NewsQuote.Status.MANUAL
    quote.manual = True
    quote.error = ""
    quote.save()
    logger.info("%s wrote news quote %s by hand", editor, quote.pk)
    _invalidate_threads_showing([quote.pk])
    return quote


@transaction.atomic
def create_card(
    *,
    creator,
    url: str,
    headline: str,
    publication_name: str = "",
    published=None,
    author: str = "",
    dateline: str = "",
    excerpt: str = "",
    image: bytes | None = None,
) -> NewsQuote:
    """A card written by hand for ``url`` without asking the site (imports, demo
    data). The picture, when given, is re-encoded like a fetched one and stored
    under a name derived from the URL, so loading the same card again reuses the
    stored file. Raises FetchRefused for a URL that is not http(s)."""
    from django.utils.text import slugify

    normalized_url = normalize_url(url)
    quote, _ = NewsQuote.objects.get_or_create(
        url=normalized_url, defaults={"created_by": creator}
    )
    if image is not None:
        jpeg, width, height = process_news_image(image)
        storage = NewsQuote._meta.get_field("image").storage
        # The field holds 100 characters: folder, slug, digest and suffix fit.
        name = hashed_name(
            f"news/cards/{slugify(normalized_url)[:60] or quote.pk}.jpg", jpeg
        )
        name = store_once(storage, name, jpeg)
        NewsQuote.objects.filter(pk=quote.pk).update(
            image=name, image_width=width, image_height=height
        )
    return write_card(
        editor=creator,
        quote=quote,
        headline=headline,
        publication_name=publication_name,
        published=published,
        author=author,
        dateline=dateline,
        excerpt=excerpt,
    )
