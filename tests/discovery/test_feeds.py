"""RSS feeds: the whole board, one forum, one thread; valid XML, visible content."""

import xml.etree.ElementTree as ET

import pytest

from forum.posts import services
from tests import factories


def feed(client, url) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content)  # raises on malformed XML


def item_titles(root) -> list[str]:
    return [item.findtext("title") for item in root.iter("item")]


@pytest.fixture
def affairs(forum_node):
    return factories.ForumFactory(title="Pakistan Affairs", parent=forum_node.parent)


def test_the_board_feed_lists_the_newest_threads_with_their_first_posts(
    client, forum_node, affairs, member
):
    factories.make_thread(author=member, node=forum_node, title="Defence talk")
    factories.make_thread(
        author=member, node=affairs, title="Affairs talk", body="Budget [b]news[/b]."
    )

    root = feed(client, "/forums/-/index.rss")

    channel = root.find("channel")
    assert channel.findtext("link") == "http://testserver/"
    assert item_titles(root) == ["Affairs talk", "Defence talk"]
    first = next(root.iter("item"))
    assert first.findtext("link").startswith("http://testserver/threads/affairs-talk.")
    assert "Budget <strong>news</strong>." in first.findtext("description")
    assert first.findtext("category") == "Pakistan Affairs"


def test_a_forum_feed_lists_only_that_forums_threads(
    client, forum_node, affairs, member
):
    factories.make_thread(author=member, node=forum_node, title="Defence talk")
    factories.make_thread(author=member, node=affairs, title="Affairs talk")

    root = feed(client, affairs.get_absolute_url() + "index.rss")

    assert item_titles(root) == ["Affairs talk"]
    assert root.find("channel").findtext("title").startswith("Pakistan Affairs")


def test_a_thread_feed_lists_its_newest_visible_posts(
    client, forum_node, member, other_member, staff
):
    thread = factories.make_thread(author=member, node=forum_node, title="Talks")
    kept = factories.reply(author=other_member, thread=thread, body="Kept reply.")
    gone = factories.reply(author=other_member, thread=thread, body="Gone reply.")
    services.delete_post(actor=staff, post=gone)

    root = feed(client, thread.get_absolute_url() + "index.rss")

    descriptions = [item.findtext("description") for item in root.iter("item")]
    assert item_titles(root) == ["Re: Talks (#2 by Another)", "Talks (#1 by Reader)"]
    assert "Kept reply." in descriptions[0]
    assert not any("Gone reply." in d for d in descriptions)
    links = [item.findtext("link") for item in root.iter("item")]
    assert links[0] == f"http://testserver{thread.get_absolute_url()}#post-{kept.pk}"


def test_feeds_leave_out_deleted_threads(client, forum_node, member, staff):
    gone = factories.make_thread(author=member, node=forum_node, title="Gone")
    factories.make_thread(author=member, node=forum_node, title="Kept")
    services.delete_thread(actor=staff, thread=gone)

    assert item_titles(feed(client, "/forums/-/index.rss")) == ["Kept"]
    assert client.get(gone.get_absolute_url() + "index.rss").status_code == 404


def test_feeds_escape_titles_and_text(client, forum_node, member):
    factories.make_thread(
        author=member,
        node=forum_node,
        title="Tanks & <script>alert(1)</script>",
        body="[code]<img src=x onerror=alert(1)>[/code]",
    )

    response = client.get("/forums/-/index.rss")
    root = ET.fromstring(response.content)

    item = next(root.iter("item"))
    # Escaped once for HTML (readers render titles as HTML), once for XML.
    assert item.findtext("title") == "Tanks &amp; &lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<img" not in item.findtext("description")
    assert b"<script>" not in response.content


def test_an_unknown_forum_has_no_feed(client, db):
    assert client.get("/forums/nowhere.987654/index.rss").status_code == 404


def test_pages_point_to_their_feeds(client, forum_node, member):
    thread = factories.make_thread(author=member, node=forum_node, title="Talks")

    forum_html = client.get(forum_node.get_absolute_url()).content.decode()
    thread_html = client.get(thread.get_absolute_url()).content.decode()

    assert f'href="{forum_node.get_absolute_url()}index.rss"' in forum_html
    assert f'href="{thread.get_absolute_url()}index.rss"' in thread_html
    assert 'href="/forums/-/index.rss"' in forum_html
