"""A forum page: its threads in order, twenty a page, with counts and redirects."""

from bs4 import BeautifulSoup

from forum.threads.services import lock_thread, stick_thread
from forum.threads.viewcounts import flush_view_counts
from tests import factories


def thread_titles(html) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".thread-row__title a")]


def thread_row(html, title: str):
    soup = BeautifulSoup(html, "html.parser")
    for row in soup.select(".thread-row"):
        if row.select_one(".thread-row__title a").get_text(strip=True) == title:
            return row
    raise AssertionError(f"no thread row titled {title!r}")


def stat(row, label: str) -> int:
    for pair in row.select(".thread-row__stats > div"):
        if pair.dt.get_text(strip=True) == label:
            return int(pair.dd["title"].replace(",", ""))
    raise AssertionError(f"no {label} column")


def test_sticky_threads_come_first_then_latest_activity(
    client, forum_node, member, other_member
):
    oldest = factories.make_thread(author=member, node=forum_node, title="Oldest")
    factories.make_thread(author=member, node=forum_node, title="Middle")
    rules = factories.make_thread(author=member, node=forum_node, title="Forum rules")
    factories.make_thread(author=member, node=forum_node, title="Newest")
    stick_thread(thread=rules)
    factories.reply(author=other_member, thread=oldest)  # bumps it to the top

    response = client.get(forum_node.get_absolute_url())

    assert response.status_code == 200
    assert thread_titles(response.content) == [
        "Forum rules",
        "Oldest",
        "Newest",
        "Middle",
    ]
    assert "Sticky" in thread_row(response.content, "Forum rules").get_text()


def test_forum_page_lists_twenty_threads_and_links_to_the_next_page(
    client, forum_node, member
):
    for n in range(21):
        factories.make_thread(author=member, node=forum_node, title=f"Topic {n:02d}")
    url = forum_node.get_absolute_url()

    first = client.get(url)
    second = client.get(f"{url}page-2")

    assert len(thread_titles(first.content)) == 20
    assert thread_titles(second.content) == ["Topic 00"]
    soup = BeautifulSoup(first.content, "html.parser")
    assert soup.select_one(".page-nav__next")["href"] == f"{url}page-2"
    assert soup.select_one(".page-nav__current").get_text() == "1"
    back = BeautifulSoup(second.content, "html.parser").select_one(".page-nav__prev")
    assert back["href"] == url


def test_forum_page_with_few_threads_has_no_page_navigation(client, forum_node, member):
    factories.make_thread(author=member, node=forum_node)

    soup = BeautifulSoup(
        client.get(forum_node.get_absolute_url()).content, "html.parser"
    )

    assert soup.select(".page-nav") == []


def test_thread_row_shows_replies_views_starter_and_last_poster(
    client, forum_node, member, other_member
):
    thread = factories.make_thread(
        author=member,
        node=forum_node,
        title="Chinese J-35 for PAF",
        replies=3,
        repliers=[other_member],
    )
    client.get(thread.get_absolute_url())  # one view...
    flush_view_counts()  # ...which reaches the database with the next batch

    row = thread_row(
        client.get(forum_node.get_absolute_url()).content, "Chinese J-35 for PAF"
    )

    assert stat(row, "Replies") == 3
    assert stat(row, "Views") == 1
    assert "Reader" in row.select_one(".thread-row__main .meta").get_text()
    assert "Another" in row.select_one(".thread-row__last").get_text()
    assert row.select_one(".thread-row__last a")["href"] == (
        f"/posts/{thread.last_post_id}/"
    )


def test_locked_thread_is_labelled_in_the_list(client, forum_node, thread):
    lock_thread(thread=thread)

    row = thread_row(client.get(forum_node.get_absolute_url()).content, "A thread")

    assert "Locked" in row.get_text()


def test_deleted_threads_are_not_listed(client, forum_node, member, staff):
    from forum.posts import services

    factories.make_thread(author=member, node=forum_node, title="Visible")
    gone = factories.make_thread(author=member, node=forum_node, title="Removed")
    services.delete_thread(actor=staff, thread=gone)

    titles = thread_titles(client.get(forum_node.get_absolute_url()).content)

    assert titles == ["Visible"]


def test_stale_forum_slug_redirects_permanently_to_the_right_one(client, forum_node):
    response = client.get(f"/forums/old-name.{forum_node.pk}/")

    assert response.status_code == 301
    assert response["Location"] == f"/forums/pakistan-defence.{forum_node.pk}/"


def test_forum_url_without_slug_redirects_permanently(client, forum_node):
    response = client.get(f"/forums/{forum_node.pk}/page-2")

    assert response.status_code == 301
    assert response["Location"] == f"/forums/pakistan-defence.{forum_node.pk}/page-2"


def test_forum_page_past_the_end_redirects_to_the_last_page(client, forum_node, member):
    for _ in range(21):
        factories.make_thread(author=member, node=forum_node)
    url = forum_node.get_absolute_url()

    response = client.get(f"{url}page-9")

    assert response.status_code == 302
    assert response["Location"] == f"{url}page-2"


def test_empty_forum_page_past_the_end_redirects_to_the_forum(client, forum_node):
    url = forum_node.get_absolute_url()

    response = client.get(f"{url}page-3")

    assert response.status_code == 302
    assert response["Location"] == url


def test_category_url_redirects_to_its_block_on_the_index(client, forum_node):
    category = forum_node.parent

    response = client.get(f"/forums/pakistan.{category.pk}/")

    assert response.status_code == 301
    assert response["Location"] == f"/#pakistan.{category.pk}"


def test_unknown_forum_is_not_found(client, db):
    assert client.get("/forums/nothing.987654/").status_code == 404


def test_forum_page_has_breadcrumb_to_its_category(client, forum_node):
    soup = BeautifulSoup(
        client.get(forum_node.get_absolute_url()).content, "html.parser"
    )

    crumbs = [(a.get_text(strip=True), a["href"]) for a in soup.select(".breadcrumb a")]
    assert crumbs == [
        ("Forums", "/"),
        ("Pakistan", f"/#pakistan.{forum_node.parent_id}"),
    ]


def test_post_thread_button_only_for_members(member_client, forum_node):
    from django.test import Client

    guest_page = Client().get(forum_node.get_absolute_url()).content.decode()
    member_page = member_client.get(forum_node.get_absolute_url()).content.decode()

    assert "Post thread" not in guest_page
    assert f'href="{forum_node.get_post_thread_url()}"' in member_page
