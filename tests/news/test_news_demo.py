"""The demo board's seed thread quotes its two articles as cards."""

import pytest
from django.test import Client

from forum.devtools.demo import SEED_THREAD_TITLE, load_demo
from forum.news.models import NewsQuote
from forum.threads.models import Thread


@pytest.fixture
def seed_thread(db, media_root, only_loopback):
    load_demo(log=lambda *_: None)
    return Thread.objects.get(title=SEED_THREAD_TITLE)


def message_bodies(thread) -> list[str]:
    page = Client().get(thread.get_absolute_url()).content.decode()
    return [
        part[: part.index("</article>")]
        for part in page.split('class="message__body')[1:]
    ]


def test_seed_threads_first_post_shows_the_express_tribune_card(seed_thread):
    first = message_bodies(seed_thread)[0]

    assert 'class="news-card"' in first
    assert "Strategic dialogue: Russian delegation due this month" in first
    assert "The Express Tribune" in first
    assert "ISLAMABAD:" in first
    image = first[first.index('<img class="news-card__image"') :]
    image = image[: image.index(">")]
    assert 'src="/media/news/' in image
    assert 'width="640" height="480"' in image


def test_seed_threads_later_reply_shows_the_nation_card(seed_thread):
    bodies = message_bodies(seed_thread)
    follow_up = next(body for body in bodies if "Follow-up report" in body)

    assert "Pakistan, Russia warming up for strategic rounds: FO" in follow_up
    assert '<time datetime="2013-04-12">Apr 12, 2013</time>' in follow_up
    assert "Maqbool Malik" in follow_up
    assert "ISLAMABAD:" in follow_up


def test_demo_cards_were_written_without_the_network(seed_thread, only_loopback):
    assert only_loopback.attempts == []
    assert set(NewsQuote.objects.values_list("status", flat=True)) == {"manual"}
    picture = NewsQuote.objects.exclude(image="").get()
    assert picture.image.storage.exists(picture.image.name)
