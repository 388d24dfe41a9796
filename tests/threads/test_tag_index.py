"""The tags index (/tags/): every tag the viewer has threads under, with how
many they may see, official tags marked, a filter box that works without
JavaScript, pages; linked from every tag page and from the tag cloud."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from forum.threads import tagging
from forum.threads.models import Tag
from tests import factories
from tests.moderation.conftest import make_private


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _tagged(node, author, *names):
    thread = factories.make_thread(author=author, node=node)
    tagging.set_thread_tags(thread=thread, names=list(names), by=author)
    return thread


def _rows(client, url="/tags/") -> list[tuple[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        (
            item.select_one("a.tag").get_text(),
            item.select_one(".tag-index__count").get_text(),
        )
        for item in soup.select(".tag-index__item")
    ]


@pytest.fixture
def tagged(forum_node, member, staff):
    staff_room = factories.ForumFactory(title="Staff room", parent=forum_node.parent)
    make_private(staff_room)
    _tagged(forum_node, member, "Navy", "CPEC")
    _tagged(forum_node, member, "Navy")
    _tagged(staff_room, staff, "Navy", "Coup plans")
    Tag.objects.filter(key="cpec").update(is_official=True)
    Tag.objects.create(name="Unused", key="unused", is_official=True)
    return staff_room


def test_the_index_lists_the_tags_the_viewer_has_threads_under(tagged, member, staff):
    assert _rows(_client()) == [("CPEC", "1 thread"), ("Navy", "2 threads")]
    assert _rows(_client(member)) == [("CPEC", "1 thread"), ("Navy", "2 threads")]
    assert _rows(_client(staff)) == [
        ("Coup plans", "1 thread"),
        ("CPEC", "1 thread"),
        ("Navy", "3 threads"),
    ]


def test_official_tags_are_marked_and_each_row_links_to_its_tag(tagged):
    soup = BeautifulSoup(_client().get("/tags/").content, "html.parser")
    cpec, navy = soup.select(".tag-index__item")
    assert cpec.select_one(".tag-index__official").get_text() == "Official"
    assert navy.select_one(".tag-index__official") is None
    assert navy.select_one("a.tag")["href"] == "/tags/navy/"


def test_the_page_has_a_title_a_breadcrumb_and_a_labelled_filter(tagged):
    soup = BeautifulSoup(_client().get("/tags/").content, "html.parser")
    assert soup.title.get_text().startswith("Tags | ")
    crumbs = soup.select('nav[aria-label="Breadcrumb"] a')
    assert [a.get_text() for a in crumbs] == ["Forums"]
    box = soup.select_one("form.tag-filter input[name=q]")
    assert soup.select_one(f"label[for={box['id']}]").get_text() == "Filter tags"
    assert soup.select_one("h1").get_text() == "Tags"


def test_the_filter_box_narrows_the_tags_without_javascript(tagged, staff):
    assert _rows(_client(), "/tags/?q=na") == [("Navy", "2 threads")]
    assert _rows(_client(), "/tags/?q=CP-EC") == [("CPEC", "1 thread")]
    page = _client().get("/tags/?q=coup").content.decode()
    assert "No tags you can see match “coup”." in page
    assert "Coup plans" not in page
    assert _rows(_client(staff), "/tags/?q=coup") == [("Coup plans", "1 thread")]
    soup = BeautifulSoup(_client().get("/tags/?q=na").content, "html.parser")
    assert soup.select_one("#tag-filter-q")["value"] == "na"
    assert soup.title.get_text().startswith("Tags matching “na” | ")


def test_the_index_is_paginated_and_keeps_the_filter(
    forum_node, member, settings, django_assert_max_num_queries
):
    settings.FORUM_TAGS_PER_PAGE = 3
    _tagged(forum_node, member, *[f"Topic {n}" for n in range(5)])
    _tagged(forum_node, member, "Other")
    assert len(_rows(_client())) == 3
    second = _client().get("/tags/?q=topic&page=2").content.decode()
    soup = BeautifulSoup(second, "html.parser")
    assert [a.get_text() for a in soup.select(".tag-index__item a.tag")] == [
        "Topic 3",
        "Topic 4",
    ]
    assert soup.select_one(".page-nav__prev")["href"] == "?q=topic&"
    # A page past the end shows the last one.
    past = BeautifulSoup(_client().get("/tags/?page=9").content, "html.parser")
    assert past.select_one(".page-nav__current").get_text() == "2"


@pytest.mark.parametrize("tags", [1, 40])
def test_the_index_costs_the_same_queries_for_one_tag_or_many(
    forum_node, member, staff, tags, django_assert_max_num_queries
):
    make_private(factories.ForumFactory(title="Hidden", parent=forum_node.parent))
    for n in range(tags):
        _tagged(forum_node, member, f"Tag {n}")
    guest, signed_in = _client(), _client(member)
    guest.get("/tags/")
    signed_in.get("/tags/")
    with django_assert_max_num_queries(1):
        guest.get("/tags/?q=tag")
    # The member's session and row, the policy's snapshot is kept: the list.
    with django_assert_max_num_queries(3):
        signed_in.get("/tags/?q=tag")


def test_every_tag_page_and_the_cloud_link_to_the_index(tagged, member):
    from forum.discovery.models import SidebarWidget

    SidebarWidget.objects.create(kind=SidebarWidget.Kind.TAGS)
    tag_page = BeautifulSoup(_client().get("/tags/navy/").content, "html.parser")
    crumbs = tag_page.select('nav[aria-label="Breadcrumb"] a')
    assert [(a.get_text(), a["href"]) for a in crumbs] == [
        ("Forums", "/"),
        ("Tags", "/tags/"),
    ]
    assert tag_page.select_one(".page-desc a")["href"] == "/tags/"
    index = BeautifulSoup(_client().get("/").content, "html.parser")
    assert index.select_one(".tag-cloud__all a")["href"] == "/tags/"
