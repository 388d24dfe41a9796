"""An article's page (its card and every thread quoting it) and a publication's page
(the threads quoting its articles, newest first, a page at a time)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forum.news.models import Publication
from forum.posts import services
from tests import factories
from tests.news.news_helpers import make_quote

URL = "https://tribune.com.pk/story/534012/strategic-dialogue"


@pytest.fixture
def quote(db):
    return make_quote(URL, author="Kamran Yousaf", excerpt="Officials will meet.")


def test_article_page_shows_the_card_and_every_thread_quoting_it(
    quote, forum_node, member, other_member
):
    first = factories.make_thread(
        author=member, node=forum_node, title="Strategic dialogue", body=URL
    )
    reply = factories.reply(author=other_member, thread=first, body=f"Again:\n{URL}")
    second = factories.make_thread(
        author=other_member, node=forum_node, title="Moscow visit", body=URL
    )

    html = Client().get(quote.get_absolute_url()).content.decode()

    assert 'class="news-card"' in html
    assert "Kamran Yousaf" in html
    assert f'href="{first.get_absolute_url()}"' in html
    assert f'href="{second.get_absolute_url()}"' in html
    assert f'href="{reply.get_thread_url()}"' in html
    # Newest quoting thread first.
    assert html.index("Moscow visit") < html.index("Strategic dialogue</a></h3>")


def test_article_page_leaves_out_deleted_posts_and_threads(
    quote, forum_node, member, staff
):
    kept = factories.make_thread(author=member, node=forum_node, title="Kept", body=URL)
    gone = factories.make_thread(author=member, node=forum_node, title="Gone", body=URL)
    services.delete_thread(actor=staff, thread=gone)
    deleted_reply = factories.reply(author=member, thread=kept, body=f"Again\n{URL}")
    services.delete_post(actor=staff, post=deleted_reply)

    html = Client().get(quote.get_absolute_url()).content.decode()

    assert "Kept" in html
    assert "Gone" not in html
    assert deleted_reply.get_thread_url() not in html


def test_pending_article_page_says_it_is_being_fetched(db):
    pending = make_quote(URL, status="pending")

    html = Client().get(pending.get_absolute_url()).content.decode()

    assert "being fetched" in html
    assert f'href="{URL}"' in html
    assert "news-card" not in html


def test_missing_article_is_a_404(db):
    assert Client().get(reverse("news:article", args=[999999])).status_code == 404


def test_card_links_to_its_publication_page(quote):
    html = Client().get(quote.get_absolute_url()).content.decode()

    assert f'href="{quote.publication.get_absolute_url()}"' in html


def test_publication_page_lists_threads_quoting_it_newest_first_by_page(
    forum_node, member, settings
):
    settings.FORUM_THREADS_PER_PAGE = 2
    older = make_quote(URL, headline="Older story")
    newer = make_quote(URL.replace("534012", "534999"), headline="Newer story")
    other_paper = make_quote(
        "https://www.dawn.com/news/1/other", headline="Elsewhere", publication="Dawn"
    )
    now = timezone.now()
    titles = []
    for n, quote in enumerate([older, older, newer]):
        thread = factories.make_thread(
            author=member, node=forum_node, title=f"Thread {n}", body=quote.url
        )
        thread.posts.update(created_at=now - timedelta(days=10 - n))
        titles.append(thread.title)
    factories.make_thread(
        author=member, node=forum_node, title="Dawn thread", body=other_paper.url
    )
    publication = Publication.objects.get(domain="tribune.com.pk")

    page_one = Client().get(publication.get_absolute_url()).content.decode()
    page_two = (
        Client()
        .get(reverse("news:publication_page", args=[publication.pk, 2]))
        .content.decode()
    )

    assert "The Express Tribune" in page_one
    assert page_one.index("Thread 2") < page_one.index("Thread 1")
    assert "Thread 0" not in page_one
    assert "Newer story" in page_one
    assert "Thread 0" in page_two and "Older story" in page_two
    assert "Dawn thread" not in page_one + page_two
    assert 'rel="next"' in page_one


def test_publication_page_past_the_end_redirects_to_the_last_page(
    quote, forum_node, member
):
    factories.make_thread(author=member, node=forum_node, body=URL)

    response = Client().get(
        reverse("news:publication_page", args=[quote.publication.pk, 9])
    )

    assert response.status_code == 302
    assert response["Location"] == quote.publication.get_absolute_url()
