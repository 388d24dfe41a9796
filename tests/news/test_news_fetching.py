"""A pasted article link becomes a card: posted, queued, fetched by the real
database worker, shown. Every page a hostile or broken site can serve ends in a
card, a plain link or a refusal: never a hang, a crash or a forbidden request."""

import json
import re
import zlib

import pytest
from django.test import Client

from forum.news.models import NewsQuote, PostArticle, Publication
from tests import factories
from tests.news.article_server import Route, html_route
from tests.news.news_helpers import (
    article_html,
    image_route,
    run_worker,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def poster(db):
    return factories.MemberFactory(username="Windjammer")


@pytest.fixture
def node(db):
    return factories.ForumFactory(title="Pakistan Defence")


def post_link(poster, node, url, *, title="Pakistan - Russia Strategic dialogue"):
    body = f"Worth a read:\n{url}\nWhat do members think?"
    return factories.make_thread(author=poster, node=node, title=title, body=body)


def first_post_html(thread, client=None) -> str:
    client = client or Client()
    page = client.get(thread.get_absolute_url()).content.decode()
    start = page.index('class="message__body')
    return page[start : page.index("</article>", start)]


def test_og_article_link_becomes_a_card_once_the_worker_has_run(
    article_server, poster, node
):
    article_server.add("/story/1", html_route(article_html()))
    article_server.add("/pictures/delegation.png", image_route())
    url = article_server.url("/story/1")

    thread = post_link(poster, node, url)

    # Posting did not wait for the site: the post shows a plain link meanwhile.
    assert article_server.paths() == []
    before = first_post_html(thread)
    assert "news-card" not in before
    assert f'href="{url}"' in before

    run_worker()

    quote = NewsQuote.objects.get()
    assert quote.status == NewsQuote.Status.OK
    card = first_post_html(thread)
    assert 'class="news-card"' in card
    assert "<blockquote" in card
    assert "Strategic dialogue: Russian delegation due this month" in card
    assert "The Express Tribune" in card
    assert '<time datetime="2013-04-11">Apr 11, 2013</time>' in card
    assert "Kamran Yousaf" in card
    assert "ISLAMABAD:" in card
    assert "Officials from both countries will meet" in card
    headline = re.search(r'<p class="news-card__headline"><a ([^>]*)>', card)[1]
    assert f'href="{url}"' in headline
    assert 'rel="nofollow ugc noopener"' in headline
    assert 'target="_blank"' in headline
    # The picture is our own re-encoded copy, never the publisher's address.
    image = re.search(r'<img class="news-card__image" ([^>]*)>', card)[1]
    assert 'src="/media/news/' in image and image.count(".jpg") == 1
    assert str(article_server.port) not in image
    assert 'alt="Strategic dialogue: Russian delegation due this month"' in image
    assert 'width="640" height="360"' in image
    assert 'loading="lazy"' in image
    assert quote.image.storage.exists(quote.image.name)
    assert quote.image.read()[:3] == b"\xff\xd8\xff"  # JPEG
    assert article_server.paths() == ["/story/1", "/pictures/delegation.png"]
    # The plain link gave way to the card (the card's headline links instead).
    assert card.count(f'href="{url}"') == 1


def test_json_ld_only_article_becomes_a_card(article_server, poster, node):
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Pakistan, Russia warming up for strategic rounds: FO",
        "datePublished": "2013-04-12",
        "author": {"@type": "Person", "name": "Maqbool Malik"},
        "publisher": {"@type": "Organization", "name": "The Nation"},
        "description": "ISLAMABAD - Consultations will focus on strategic issues.",
    }
    page = (
        "<html><head><script type='application/ld+json'>"
        f"{json.dumps(ld)}</script></head><body><div>Menu</div></body></html>"
    )
    article_server.add("/fo", html_route(page))

    thread = post_link(poster, node, article_server.url("/fo"))
    run_worker()

    card = first_post_html(thread)
    assert "Pakistan, Russia warming up for strategic rounds: FO" in card
    assert "The Nation" in card
    assert "Maqbool Malik" in card
    assert '<time datetime="2013-04-12">' in card
    assert "news-card__image" not in card


def test_page_without_any_metadata_keeps_the_plain_link(article_server, poster, node):
    article_server.add("/bare", html_route("<html><body><div></div></body></html>"))
    url = article_server.url("/bare")

    thread = post_link(poster, node, url)
    run_worker()

    quote = NewsQuote.objects.get()
    assert quote.status == NewsQuote.Status.FAILED
    assert "headline" in quote.error
    html = first_post_html(thread)
    assert "news-card" not in html
    assert f'href="{url}"' in html


def test_page_with_only_a_title_still_makes_a_card(article_server, poster, node):
    article_server.add(
        "/titled",
        html_route("<html><head><title>Gwadar port phase two</title></head></html>"),
    )

    thread = post_link(poster, node, article_server.url("/titled"))
    run_worker()

    assert "Gwadar port phase two" in first_post_html(thread)


def test_broken_html_still_yields_its_metadata(article_server, poster, node):
    broken = (
        "<html><head><meta property='og:title' content='Budget passed late'>"
        "<meta property='og:site_name' content='Dawn'><title>Budget<title>"
        "</head><body><div><p>ISLAMABAD: The house <b>sat <i>until <table><tr>"
        "<td>midnight<p><<<<>>>&&&; <!-- never closed <script>var x = '</p>"
    )
    article_server.add("/broken", html_route(broken))

    thread = post_link(poster, node, article_server.url("/broken"))
    run_worker()

    card = first_post_html(thread)
    assert "Budget passed late" in card
    assert "Dawn" in card


def test_huge_page_ends_in_a_plain_link(article_server, poster, node):
    chunk = b"<p>" + b"filler " * 10_000 + b"</p>"

    def endless():
        yield b"<html><head><title>Huge</title></head><body>"
        for _ in range(400):  # about 28 MB, streamed
            yield chunk

    article_server.add(
        "/huge", Route(headers=[("Content-Type", "text/html")], chunks=endless)
    )

    thread = post_link(poster, node, article_server.url("/huge"))
    run_worker()

    quote = NewsQuote.objects.get()
    assert quote.status == NewsQuote.Status.FAILED
    assert "news-card" not in first_post_html(thread)


def test_slow_site_times_out_into_a_plain_link(article_server, settings, poster, node):
    settings.NEWS_FETCH_TIMEOUT = 0.5
    article_server.add("/slow", html_route(article_html(), delay=5))

    thread = post_link(poster, node, article_server.url("/slow"))
    run_worker()

    quote = NewsQuote.objects.get()
    assert quote.status == NewsQuote.Status.FAILED
    assert "too long" in quote.error
    assert "news-card" not in first_post_html(thread)


def test_redirect_to_a_private_address_is_refused_without_a_request(
    article_server, only_loopback, poster, node
):
    # The port is one the policy allows, so the address itself is refused.
    metadata = f"http://169.254.169.254:{article_server.port}/latest/meta-data/"
    article_server.add("/go", Route(status=302, headers=[("Location", metadata)]))

    thread = post_link(poster, node, article_server.url("/go"))
    run_worker()

    quote = NewsQuote.objects.get()
    assert quote.status == NewsQuote.Status.FAILED
    assert "private network" in quote.error
    assert only_loopback.forbidden() == []
    assert article_server.paths() == ["/go"]
    assert "news-card" not in first_post_html(thread)


def test_link_to_a_private_address_is_refused_in_production(
    settings, only_loopback, poster, node
):
    settings.NEWS_FETCH_ALLOW_LOOPBACK = False  # production's setting
    thread = post_link(poster, node, "http://127.0.0.1/admin/")
    run_worker()

    quote = NewsQuote.objects.get()
    assert quote.status == NewsQuote.Status.FAILED
    assert "points back at this server" in quote.error
    assert only_loopback.attempts == []
    assert "news-card" not in first_post_html(thread)


def test_non_html_content_keeps_the_plain_link(article_server, poster, node):
    article_server.add(
        "/report.pdf",
        Route(headers=[("Content-Type", "application/pdf")], body=b"%PDF-1.4 ..."),
    )

    thread = post_link(poster, node, article_server.url("/report.pdf"))
    run_worker()

    assert NewsQuote.objects.get().status == NewsQuote.Status.FAILED
    assert "news-card" not in first_post_html(thread)


def _png_bomb(width=30_000, height=30_000) -> bytes:
    """A small PNG declaring 900 megapixels of black."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return (
            struct.pack(">I", len(data))
            + body
            + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * (width // 8)
    data = b"".join(compressor.compress(row) for _ in range(2000))
    data += compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", data)
        + chunk(b"IEND", b"")
    )


def test_image_bomb_gives_a_card_without_a_picture(article_server, poster, node):
    article_server.add("/story/bomb", html_route(article_html(image="/bomb.png")))
    article_server.add("/bomb.png", image_route(_png_bomb()))

    thread = post_link(poster, node, article_server.url("/story/bomb"))
    run_worker()

    quote = NewsQuote.objects.get()
    assert quote.status == NewsQuote.Status.OK
    assert not quote.image
    card = first_post_html(thread)
    assert "Strategic dialogue" in card
    assert "news-card__image" not in card


def test_same_article_twice_is_fetched_once_and_tracking_params_are_dropped(
    article_server, poster, node
):
    article_server.add("/story/1", html_route(article_html()))
    article_server.add("/pictures/delegation.png", image_route())
    shared = article_server.url("/story/1?utm_source=twitter&utm_medium=social")

    first = post_link(poster, node, shared)
    run_worker()
    factories.wait_out_flood(poster)
    second = post_link(
        poster, node, article_server.url("/story/1?fbclid=abc"), title="Again"
    )
    run_worker()

    quote = NewsQuote.objects.get()
    assert quote.url == article_server.url("/story/1")
    assert article_server.paths().count("/story/1") == 1
    assert not [path for path in article_server.paths() if "utm_" in path]
    assert PostArticle.objects.filter(quote=quote).count() == 2
    for thread in (first, second):
        assert "Strategic dialogue" in first_post_html(thread)


def test_card_escapes_hostile_metadata(article_server, poster, node):
    hostile = article_html(
        headline="&lt;script&gt;alert(1)&lt;/script&gt; &quot;onmouseover=&quot;x",
        site="&lt;img src=x onerror=alert(2)&gt;",
        author="&lt;b&gt;Mallory&lt;/b&gt;",
        description="&lt;iframe src=javascript:alert(3)&gt;",
    )
    article_server.add("/evil", html_route(hostile))
    article_server.add("/pictures/delegation.png", image_route())

    thread = post_link(poster, node, article_server.url("/evil"))
    run_worker()

    card = first_post_html(thread)
    assert "news-card" in card
    assert "<script" not in card
    assert "<iframe" not in card
    assert "<img src=x" not in card
    assert "<b>Mallory" not in card
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card
    assert (
        'alt="&lt;script&gt;alert(1)&lt;/script&gt; &quot;onmouseover=&quot;x"' in card
    )


def test_a_page_cannot_claim_another_sites_article(article_server, poster, node):
    article_server.add(
        "/fake",
        html_route(article_html(canonical="https://www.dawn.com/news/1234/real")),
    )

    post_link(poster, node, article_server.url("/fake"))
    run_worker()

    quote = NewsQuote.objects.get()
    assert quote.status == NewsQuote.Status.OK
    assert quote.url == article_server.url("/fake")


def test_two_links_to_one_article_share_its_card(article_server, poster, node):
    canonical = article_server.url("/story/1")
    article_server.add("/story/1", html_route(article_html(canonical=canonical)))
    article_server.add("/amp/story/1", html_route(article_html(canonical=canonical)))
    article_server.add("/pictures/delegation.png", image_route())

    first = post_link(poster, node, canonical)
    run_worker()
    factories.wait_out_flood(poster)
    second = post_link(
        poster, node, article_server.url("/amp/story/1"), title="Same story"
    )
    run_worker()

    quote = NewsQuote.objects.get()
    assert quote.url == canonical
    assert PostArticle.objects.filter(quote=quote).count() == 2
    assert "Strategic dialogue" in first_post_html(second)
    assert "Strategic dialogue" in first_post_html(first)
    # Pasting the AMP link again finds the card without asking the site.
    requests = len(article_server.paths())
    factories.wait_out_flood(poster)
    post_link(poster, node, article_server.url("/amp/story/1"), title="Third")
    run_worker()
    assert len(article_server.paths()) == requests


def test_publication_is_named_from_the_page(article_server, poster, node):
    article_server.add("/story/1", html_route(article_html(image="")))

    post_link(poster, node, article_server.url("/story/1"))
    run_worker()

    publication = Publication.objects.get()
    assert (publication.name, publication.domain) == (
        "The Express Tribune",
        "127.0.0.1",
    )
    assert NewsQuote.objects.get().publication == publication


def test_guests_cached_thread_page_shows_the_card_once_fetched(
    article_server, poster, node, settings
):
    settings.FORUM_GUEST_CACHE_SECONDS = 600
    article_server.add("/story/1", html_route(article_html(image="")))
    thread = post_link(poster, node, article_server.url("/story/1"))
    guest = Client()
    assert "news-card" not in first_post_html(thread, guest)  # now cached

    run_worker()

    assert "news-card" in first_post_html(thread, guest)
