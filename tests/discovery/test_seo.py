"""Search engines: canonical links, Open Graph and JSON-LD on threads, sitemaps,
robots.txt, and noindex where a page should stay out of the index."""

import html as html_lib
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.apps import apps

from forum.discovery import sitemaps as seo
from forum.posts import services
from tests import factories

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def canonical(html: str) -> str:
    [href] = re.findall(r'<link rel="canonical" href="([^"]*)">', html)
    return html_lib.unescape(href)


def meta(html: str, prop: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{prop}" content="([^"]*)">', html)
    return html_lib.unescape(match.group(1)) if match else ""


def json_ld(html: str) -> dict:
    [raw] = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    return json.loads(raw)


@pytest.fixture
def long_thread(forum_node, member):
    return factories.make_thread(
        author=member,
        node=forum_node,
        title="Pakistan - Russia Strategic dialogue",
        body="Senior officials will meet later this month. " * 3,
        replies=25,
    )


def test_every_page_names_its_canonical_address(client, forum_node, long_thread):
    for _ in range(21):
        factories.make_thread(author=long_thread.starter, node=forum_node)
    forum_url = forum_node.get_absolute_url()
    thread_url = long_thread.get_absolute_url()

    assert canonical(get(client, "/")) == "http://testserver/"
    assert canonical(get(client, "/forums/")) == "http://testserver/"
    assert canonical(get(client, forum_url)) == f"http://testserver{forum_url}"
    assert canonical(get(client, forum_url + "page-2")) == (
        f"http://testserver{forum_url}page-2"
    )
    assert canonical(get(client, thread_url + "page-2")) == (
        f"http://testserver{thread_url}page-2"
    )
    assert canonical(get(client, "/members/?page=2&sort=x")) == (
        "http://testserver/members/?page=2"
    )
    assert canonical(get(client, "/whats-new/")) == "http://testserver/whats-new/posts/"


def test_a_thread_page_describes_itself_for_link_previews(client, long_thread):
    html = get(client, long_thread.get_absolute_url())

    assert meta(html, "og:title") == "Pakistan - Russia Strategic dialogue"
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:description").startswith(
        "Senior officials will meet later this month."
    )
    assert meta(html, "og:url") == f"http://testserver{long_thread.get_absolute_url()}"
    assert meta(html, "og:image") == ""


def test_later_pages_describe_the_thread_by_its_first_post_too(client, long_thread):
    html = get(client, long_thread.get_absolute_url(2))

    assert meta(html, "og:description").startswith("Senior officials will meet")


def test_a_thread_page_carries_a_discussion_forum_posting(client, long_thread):
    data = json_ld(get(client, long_thread.get_absolute_url()))

    assert data["@type"] == "DiscussionForumPosting"
    assert data["headline"] == "Pakistan - Russia Strategic dialogue"
    assert data["author"]["name"] == "Reader"
    assert data["author"]["url"].startswith("http://testserver/members/reader.")
    assert data["datePublished"] == long_thread.created_at.isoformat()
    assert data["url"] == f"http://testserver{long_thread.get_absolute_url()}"
    stats = data["interactionStatistic"]
    assert stats["interactionType"] == "https://schema.org/CommentAction"
    assert stats["userInteractionCount"] == 25


def test_thread_metadata_cannot_break_out_of_its_tags(client, forum_node, member):
    thread = factories.make_thread(
        author=member,
        node=forum_node,
        title='</script><script>alert(1)</script> "quoted"',
        body="Body with <b>markup</b> & more.",
    )

    html = get(client, thread.get_absolute_url())

    assert "<script>alert(1)" not in html
    assert json_ld(html)["headline"] == '</script><script>alert(1)</script> "quoted"'
    assert meta(html, "og:title") == '</script><script>alert(1)</script> "quoted"'
    assert meta(html, "og:description") == "Body with <b>markup</b> & more."


def test_a_thread_quoting_a_news_article_shows_its_picture(client, forum_node, member):
    quote_model = apps.get_model("news", "NewsQuote")
    link_model = apps.get_model("news", "PostArticle")
    thread = factories.make_thread(author=member, node=forum_node, title="Dialogue")
    quote = quote_model.objects.create(
        url="https://tribune.example/strategic-dialogue",
        headline="Strategic dialogue: Russian delegation due this month",
        status="ok",
        image="news/2013/04/dialogue.webp",
    )
    link_model.objects.create(post_id=thread.first_post_id, quote=quote, position=0)

    html = get(client, thread.get_absolute_url())

    assert (
        meta(html, "og:image") == "http://testserver/media/news/2013/04/dialogue.webp"
    )
    assert json_ld(html)["image"] == meta(html, "og:image")


def test_the_sitemap_index_names_each_section(client, forum_node, long_thread):
    root = ET.fromstring(client.get("/sitemap.xml").content)

    locations = [loc.text for loc in root.findall("s:sitemap/s:loc", NS)]
    assert locations == [
        "http://testserver/sitemap-forums.xml",
        "http://testserver/sitemap-threads.xml",
    ]


def test_the_thread_sitemap_lists_visible_threads(
    client, forum_node, long_thread, member, staff
):
    gone = factories.make_thread(author=member, node=forum_node, title="Gone")
    services.delete_thread(actor=staff, thread=gone)

    response = client.get("/sitemap-threads.xml")
    root = ET.fromstring(response.content)

    assert response["Content-Type"].startswith("application/xml")
    urls = [u.findtext("s:loc", namespaces=NS) for u in root.findall("s:url", NS)]
    assert urls == [f"http://testserver{long_thread.get_absolute_url()}"]
    assert root.find("s:url/s:lastmod", NS).text.startswith(
        str(long_thread.last_post_at.date())
    )


def test_the_forum_sitemap_lists_forums_not_categories(client, forum_node):
    root = ET.fromstring(client.get("/sitemap-forums.xml").content)

    urls = [u.findtext("s:loc", namespaces=NS) for u in root.findall("s:url", NS)]
    assert urls == [f"http://testserver{forum_node.get_absolute_url()}"]


def test_a_long_sitemap_is_split_into_pages(client, forum_node, member, monkeypatch):
    monkeypatch.setattr(seo.ThreadSitemap, "limit", 2)
    threads = [
        factories.make_thread(author=member, node=forum_node, title=f"T{n}")
        for n in range(5)
    ]

    index = ET.fromstring(client.get("/sitemap.xml").content)
    page_3 = ET.fromstring(client.get("/sitemap-threads.xml?p=3").content)

    assert [loc.text for loc in index.findall("s:sitemap/s:loc", NS)][-3:] == [
        "http://testserver/sitemap-threads.xml",
        "http://testserver/sitemap-threads.xml?p=2",
        "http://testserver/sitemap-threads.xml?p=3",
    ]
    assert [
        u.findtext("s:loc", namespaces=NS) for u in page_3.findall("s:url", NS)
    ] == [f"http://testserver{threads[4].get_absolute_url()}"]
    assert client.get("/sitemap-threads.xml?p=4").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_the_default_sitemap_page_holds_five_thousand_addresses():
    assert seo.ThreadSitemap.limit == 5000


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_search(client, db):
    text = get(client, "/robots.txt")

    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /search/" in text


def test_account_settings_pages_are_not_indexed(member_client):
    html = get(member_client, "/account/profile")

    assert '<meta name="robots" content="noindex">' in html


def test_a_thread_description_leaves_out_bare_links(client, forum_node, member):
    thread = factories.make_thread(
        author=member,
        node=forum_node,
        title="Dialogue",
        body="https://tribune.example/strategic-dialogue\n\nOfficials will meet.",
    )

    html = get(client, thread.get_absolute_url())

    assert meta(html, "og:description") == "Officials will meet."
