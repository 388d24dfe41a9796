"""Which parts of a post become article cards, and what the thread page shows."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from forum.news.models import NewsQuote, PostArticle
from forum.posts import services
from tests import factories
from tests.news.news_helpers import make_quote

URL = "https://tribune.com.pk/story/534012/strategic-dialogue"


@pytest.fixture
def poster(db):
    return factories.MemberFactory(username="Windjammer")


def message_bodies(thread, client=None) -> list[str]:
    page = (client or Client()).get(thread.get_absolute_url()).content.decode()
    bodies = []
    for part in page.split('class="message__body')[1:]:
        bodies.append(part[: part.index("</article>")])
    return bodies


def queued_fetches() -> list[int]:
    return [
        result.args_kwargs["kwargs"]["quote_id"]
        for result in DBTaskResult.objects.filter(
            task_path="forum.news.tasks.fetch_news_quote"
        )
    ]


def test_link_alone_on_its_line_shows_the_articles_card(poster, forum_node):
    quote = make_quote(URL)
    thread = factories.make_thread(
        author=poster,
        node=forum_node,
        body=f"Big news.\n{URL}?utm_source=twitter\nThoughts?",
    )

    [body] = message_bodies(thread)

    assert 'class="news-card"' in body
    assert quote.headline in body
    assert "Big news." in body and "Thoughts?" in body
    assert "utm_source" not in body  # the card replaced the pasted link
    assert PostArticle.objects.get().quote == quote


def test_news_tag_embeds_a_card_by_its_id(poster, forum_node):
    quote = make_quote(URL)
    thread = factories.make_thread(
        author=poster, node=forum_node, body=f"As reported:\n[NEWS={quote.pk}]"
    )

    [body] = message_bodies(thread)

    assert quote.headline in body
    assert f'data-news-id="{quote.pk}"' in body


def test_unknown_news_id_shows_nothing_and_breaks_nothing(poster, forum_node):
    thread = factories.make_thread(
        author=poster, node=forum_node, body="See [NEWS=987654] here."
    )

    [body] = message_bodies(thread)

    assert "news-card" not in body
    assert "See" in body and "here." in body
    assert not PostArticle.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        f"Read {URL} before replying.",
        f'[QUOTE="Saleem, post: 1, member: 1"]\n{URL}\n[/QUOTE]\nAgreed.',
        f"[URL={URL}]the Tribune's report[/URL]",
        f"[B]{URL}[/B]",
        f"[CODE]{URL}[/CODE]",
    ],
    ids=["in-a-sentence", "inside-a-quote", "with-words", "bold", "code"],
)
def test_links_that_are_not_alone_on_their_line_stay_links(body, poster, forum_node):
    make_quote(URL)
    thread = factories.make_thread(author=poster, node=forum_node, body=body)

    [html] = message_bodies(thread)

    assert "news-card" not in html
    assert not PostArticle.objects.exists()


def test_new_link_stays_plain_and_queues_one_fetch_on_commit(
    poster, forum_node, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = factories.make_thread(
            author=poster, node=forum_node, body=f"{URL}\n{URL}#comments"
        )

    quote = NewsQuote.objects.get()
    assert quote.status == NewsQuote.Status.PENDING
    assert quote.url == URL
    assert quote.created_by == poster
    assert queued_fetches() == [quote.pk]
    [body] = message_bodies(thread)
    assert "news-card" not in body
    assert f'href="{URL}"' in body


def test_nothing_is_queued_when_the_posting_transaction_rolls_back(
    poster, forum_node, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            factories.make_thread(author=poster, node=forum_node, body=URL)
            raise RuntimeError("the request failed after posting")

    assert callbacks == []
    assert not NewsQuote.objects.exists()
    assert queued_fetches() == []


def test_a_post_embeds_at_most_ten_articles(
    poster, forum_node, django_capture_on_commit_callbacks
):
    urls = [f"https://example.com/story/{n}" for n in range(12)]
    for url in urls:
        make_quote(url, headline=f"Headline {url[-2:]}")
    thread = factories.make_thread(author=poster, node=forum_node, body="\n".join(urls))

    [body] = message_bodies(thread)

    assert PostArticle.objects.count() == 10
    assert body.count('class="news-card"') == 10
    assert f'href="{urls[10]}"' in body and f'href="{urls[11]}"' in body
    assert (
        list(
            PostArticle.objects.order_by("position").values_list(
                "quote__url", flat=True
            )
        )
        == urls[:10]
    )


def test_only_ten_new_links_are_fetched(
    poster, forum_node, django_capture_on_commit_callbacks
):
    urls = [f"https://example.com/story/{n}" for n in range(12)]
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_thread(author=poster, node=forum_node, body="\n".join(urls))

    assert NewsQuote.objects.count() == 10
    assert len(queued_fetches()) == 10


def test_editing_a_post_updates_its_cards(
    poster, forum_node, django_capture_on_commit_callbacks
):
    first = make_quote(URL)
    other = "https://www.dawn.com/news/1234/budget"
    thread = factories.make_thread(author=poster, node=forum_node, body=URL)
    post = thread.posts.get()

    with django_capture_on_commit_callbacks(execute=True):
        services.edit_post(editor=poster, post=post, body=f"Changed my mind:\n{other}")

    assert list(PostArticle.objects.values_list("quote__url", flat=True)) == [other]
    assert queued_fetches() == [NewsQuote.objects.get(url=other).pk]
    [body] = message_bodies(thread)
    assert first.headline not in body


def test_a_card_fetched_over_a_day_ago_is_refreshed_once_when_pasted_again(
    poster, other_member, forum_node, django_capture_on_commit_callbacks
):
    quote = make_quote(URL, fetched_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_thread(author=poster, node=forum_node, body=URL)
        factories.make_thread(author=other_member, node=forum_node, body=URL)

    assert queued_fetches() == [quote.pk]
    quote.refresh_from_db()
    assert quote.status == NewsQuote.Status.OK  # still shown while refreshing


@pytest.mark.parametrize("status", ["ok", "failed", "manual", "pending"])
def test_a_recent_or_settled_card_is_not_fetched_again(
    status, poster, forum_node, django_capture_on_commit_callbacks
):
    make_quote(URL, status=status)
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_thread(author=poster, node=forum_node, body=URL)

    assert queued_fetches() == []


def test_failed_card_offers_its_creator_to_write_it_by_hand(
    poster, other_member, forum_node
):
    quote = make_quote(URL, status="failed", created_by=poster, error="Too slow.")
    thread = factories.make_thread(author=poster, node=forum_node, body=URL)
    creator, someone_else = Client(), Client()
    creator.force_login(poster)
    someone_else.force_login(other_member)

    [mine] = message_bodies(thread, creator)
    [theirs] = message_bodies(thread, someone_else)
    [guests] = message_bodies(thread)

    edit_url = f"/news/{quote.pk}/edit"
    assert f'href="{URL}"' in mine and edit_url in mine
    assert f'href="{URL}"' in theirs and edit_url not in theirs
    assert f'href="{URL}"' in guests and edit_url not in guests


def test_deleted_posts_cards_stay_visible_to_moderators_only_with_the_post(
    poster, staff, forum_node
):
    make_quote(URL)
    thread = factories.make_thread(author=poster, node=forum_node, body="Opening")
    post = factories.reply(author=poster, thread=thread, body=URL)
    services.delete_post(actor=staff, post=post)
    moderator = Client()
    moderator.force_login(staff)

    assert len(message_bodies(thread)) == 1
    bodies = message_bodies(thread, moderator)
    assert "news-card" in bodies[1]


# --- the thread page's query count ----------------------------------------------


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("as_member", [False, True], ids=["guest", "member"])
def test_thread_page_queries_do_not_grow_with_cards(as_member, forum_node, settings):
    settings.FORUM_GUEST_CACHE_SECONDS = 0
    authors = [factories.MemberFactory() for _ in range(20)]
    quotes = [
        make_quote(
            f"https://site{n}.example.com/story/{n}",
            headline=f"Story {n}",
            publication=f"Paper {n}",
            image="news/2013/04/picture.jpg",
            image_width=640,
            image_height=360,
            author=f"Reporter {n}",
            excerpt="Excerpt.",
        )
        for n in range(21)
    ]
    warm_up = factories.make_thread(author=authors[0], node=forum_node)
    one = factories.make_thread(author=authors[0], node=forum_node, body=quotes[0].url)
    many = factories.make_thread(
        author=authors[0], node=forum_node, body=f"[NEWS={quotes[1].pk}]"
    )
    for n in range(2, 21):
        factories.reply(author=authors[n - 1], thread=many, body=quotes[n].url)
    client = Client()
    if as_member:
        client.force_login(factories.MemberFactory(username="Viewer"))
    client.get(warm_up.get_absolute_url())

    few = _queries(client, one.get_absolute_url())
    lots = _queries(client, many.get_absolute_url())

    page = client.get(many.get_absolute_url()).content.decode()
    assert page.count('class="news-card"') == 20
    assert len(lots) == len(few), "\n".join(lots)


def test_a_page_without_links_does_not_ask_for_cards(forum_node, settings):
    settings.FORUM_GUEST_CACHE_SECONDS = 0
    thread = factories.make_thread(
        author=factories.MemberFactory(),
        node=forum_node,
        body="Plain words, [B]bold[/B] and a [URL=https://example.com/]link[/URL].",
    )

    queries = _queries(Client(), thread.get_absolute_url())

    # (The page's description may still look for a picture of the first post.)
    assert not [sql for sql in queries if '"news_postarticle"."post_id" IN' in sql]


def test_a_link_too_long_to_keep_stays_a_plain_link(poster, forum_node):
    # Short enough to be linked; percent-encoded, far too long for a card's address.
    url = "https://example.com/" + "é" * 1000

    thread = factories.make_thread(author=poster, node=forum_node, body=url)

    [body] = message_bodies(thread)
    assert f'href="{url}"' in body
    assert "news-card" not in body
    assert not NewsQuote.objects.exists()
