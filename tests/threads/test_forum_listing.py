"""A forum page's sorts and filters: kept in the URL, kept per member and forum
when asked, the page links of long threads and the "go to page" box."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from forum.notifications.services import watch_thread
from forum.threads.models import Thread
from tests import factories
from tests.querycount import queries_for

# Measured, then pinned: the same as the default listing (FORUM_PAGE_BUDGET in
# test_forum_queries.py). A sorted listing: node, its stickies counted (a few
# index rows), the page with its stickies in one statement, the breadcrumb; a
# filtered one counts its matches instead, and a starter filter adds the lookup
# of that member. A member adds session, self and the e-mail check behind "Post
# thread". "Unread only" is rendered for the member alone, in as many.
LISTING_BUDGET = {"guest": 4, "member": 7}
PER_VIEWER_BUDGET = 7


def titles(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    rows = soup.select(".thread-row__title > a:not(.jump-unread)")
    return [a.get_text(strip=True) for a in rows]


@pytest.fixture
def threads(forum_node, member, other_member):
    made = {}
    for n, title in enumerate(["Banana", "Apple", "Cherry"]):
        made[title] = factories.make_thread(
            author=member if n != 1 else other_member,
            node=forum_node,
            title=title,
            replies=n,
        )
    Thread.objects.filter(pk=made["Cherry"].pk).update(view_count=1)
    Thread.objects.filter(pk=made["Banana"].pk).update(view_count=50)
    return made


def test_each_sort_orders_the_threads_and_turns_round(client, forum_node, threads):
    url = forum_node.get_absolute_url()
    assert titles(client.get(f"{url}?sort=title")) == ["Apple", "Banana", "Cherry"]
    assert titles(client.get(f"{url}?sort=title&direction=desc")) == [
        "Cherry", "Banana", "Apple",
    ]  # fmt: skip
    assert titles(client.get(f"{url}?sort=replies")) == ["Cherry", "Apple", "Banana"]
    assert titles(client.get(f"{url}?sort=views")) == ["Banana", "Cherry", "Apple"]
    assert titles(client.get(f"{url}?sort=started")) == ["Cherry", "Apple", "Banana"]
    assert titles(client.get(url)) == ["Cherry", "Apple", "Banana"]


def test_a_listing_url_is_made_canonical_and_unknown_values_are_dropped(
    client, forum_node, threads
):
    url = forum_node.get_absolute_url()
    response = client.get(f"{url}?starter=&sort=bogus&since=&direction=up")
    assert response.status_code == 301
    assert response["Location"] == url


def test_filters_by_starter_and_start_date(client, forum_node, threads):
    url = forum_node.get_absolute_url()
    assert titles(client.get(f"{url}?starter=another")) == ["Apple"]
    assert titles(client.get(f"{url}?starter=nobody")) == []
    assert (
        "No threads match these filters"
        in client.get(f"{url}?starter=nobody").content.decode()
    )
    assert titles(client.get(f"{url}?until=2001-01-01")) == []


def test_unread_and_watched_only_are_the_members_own(forum_node, threads, other_member):
    client = Client()
    client.force_login(other_member)
    url = forum_node.get_absolute_url()
    client.get(threads["Banana"].get_absolute_url())  # read
    assert "Banana" not in titles(client.get(f"{url}?unread=1"))
    assert "Cherry" in titles(client.get(f"{url}?unread=1"))
    watch_thread(user=other_member, thread=threads["Cherry"], email=False)
    assert titles(client.get(f"{url}?watched=1")) == ["Cherry", "Apple"]
    # A guest has no read state: the filter is not theirs, and is dropped.
    assert Client().get(f"{url}?unread=1")["Location"] == url


def test_a_member_keeps_their_way_for_a_forum_until_they_choose_the_default(
    forum_node, threads, member
):
    client = Client()
    client.force_login(member)
    url = forum_node.get_absolute_url()
    client.post(f"{url}list-view", {"query": "sort=title"})
    assert client.get(url)["Location"] == f"{url}?sort=title"
    assert titles(client.get(f"{url}?sort=last_post")) == ["Cherry", "Apple", "Banana"]
    client.post(f"{url}list-view", {"query": ""})
    assert client.get(url).status_code == 200
    # Another member, or a guest, sees the default.
    assert Client().get(url).status_code == 200


def test_a_long_thread_row_links_its_pages_and_every_page_has_a_go_to_box(
    client, forum_node, member, settings
):
    settings.FORUM_POSTS_PER_PAGE = 2
    settings.FORUM_THREADS_PER_PAGE = 2
    long = factories.make_thread(
        author=member, node=forum_node, title="Long", replies=11
    )
    for n in range(3):
        factories.make_thread(author=member, node=forum_node, title=f"Short {n}")
    url = forum_node.get_absolute_url()
    page = BeautifulSoup(client.get(f"{url}page-2").content, "html.parser")
    links = [a.get_text() for a in page.select(".thread-pages a")]
    assert links == ["1", "2", "3", "6"]
    assert page.select_one(".thread-pages a:last-child")["href"] == (
        long.get_absolute_url(6)
    )
    box = page.select_one("form.page-jump")
    assert box["method"] == "get"
    jump = client.get("/-/page", {"to": url, "page": "2", "keep": "sort=title"})
    assert jump["Location"] == f"{url}page-2?sort=title"
    assert (
        client.get("/-/page", {"to": "//evil.example/", "page": 2}).status_code == 400
    )
    # The forum page answers the box's ?page=N itself too.
    assert client.get(f"{url}?page=2")["Location"] == f"{url}page-2"
    thread_box = client.get(long.get_absolute_url()).content.decode()
    assert 'class="page-jump"' in thread_box


@pytest.mark.parametrize("viewer", ["guest", "member"], indirect=True)
def test_sorted_and_filtered_listings_keep_their_query_budget(viewer, forum_node):
    kind, client, _ = viewer
    people = [factories.MemberFactory() for _ in range(21)]
    quiet = factories.ForumFactory(title="Quiet", parent=forum_node.parent)
    busy = factories.ForumFactory(title="Busy", parent=forum_node.parent)
    factories.make_thread(author=people[0], node=quiet, replies=1)
    for starter in people[1:]:
        factories.make_thread(author=starter, node=busy, replies=1)
    client.get(forum_node.get_absolute_url())  # warm-up
    few = queries_for(client, f"{quiet.get_absolute_url()}?sort=replies")
    many = queries_for(client, f"{busy.get_absolute_url()}?sort=replies")
    url = busy.get_absolute_url()
    assert len(many) == len(few), "\n".join(many)
    assert len(many) <= LISTING_BUDGET[kind], "\n".join(many)
    starter = people[3].username
    filtered = queries_for(client, f"{url}?starter={starter}&since=2001-01-01")
    assert len(filtered) <= LISTING_BUDGET[kind] + 1, "\n".join(filtered)


@pytest.mark.parametrize("viewer", ["member"], indirect=True)
def test_unread_only_keeps_its_query_budget(viewer, forum_node):
    _kind, client, _ = viewer
    url = forum_node.get_absolute_url()
    people = [factories.MemberFactory() for _ in range(10)]
    for starter in people:
        factories.make_thread(author=starter, node=forum_node, replies=1)
    client.get(url)
    found = queries_for(client, f"{url}?unread=1")
    assert len(found) <= PER_VIEWER_BUDGET, "\n".join(found)
