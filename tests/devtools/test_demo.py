"""The demo board that `make run` loads."""

import pytest
from django.core.management import CommandError, call_command

from forum.devtools.demo import SEED_THREAD_TITLE, load_demo
from forum.posts.recount import counter_drift
from forum.threads.models import Node, Thread


@pytest.fixture
def demo(db):
    load_demo(log=lambda *_: None)


def test_demo_recreates_the_seed_thread_with_windjammers_card(demo, client):
    thread = Thread.objects.get(title=SEED_THREAD_TITLE)
    assert thread.node.title == "Pakistan Defence"
    html = client.get(thread.get_absolute_url()).content.decode()
    card = html[html.index('aria-label="About Windjammer"') :][:3000]
    assert "ELITE MEMBER" in card
    assert "Nov 9, 2009" in card
    assert "41,319" in card
    assert "United Kingdom" in card
    assert "Pakistan" in card


def test_demo_has_the_seed_forums_and_a_lively_index(demo, client):
    titles = set(Node.objects.values_list("title", flat=True))
    assert {"Pakistan Defence", "Pakistan Affairs"} <= titles
    assert Thread.objects.count() >= 15
    html = client.get("/").content.decode()
    assert "Pakistan Affairs" in html and "Pakistan Defence" in html


def test_demo_reply_quotes_an_earlier_reply_with_a_link_back(demo):
    thread = Thread.objects.get(title=SEED_THREAD_TITLE)
    posts = list(thread.posts.order_by("position"))
    quoting = [p for p in posts if 'class="bb-quote-link"' in p.body_html]
    assert quoting
    assert f'href="/posts/{posts[1].pk}/"' in quoting[0].body_html


def test_demo_loads_once_and_keeps_counters_exact(demo):
    threads = Thread.objects.count()
    load_demo(log=lambda *_: None)
    assert Thread.objects.count() == threads
    assert counter_drift() == {}


def test_demo_logins_work(demo, client):
    assert client.login(username="admin", password="admin")
    assert client.login(username="Windjammer", password="demo")


def test_load_demo_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")
    assert not Thread.objects.exists()
