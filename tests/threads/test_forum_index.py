"""The forum index: category blocks, forum rows with counts and the last post."""

from bs4 import BeautifulSoup

from tests import factories


def forum_row(html: str, title: str):
    """The index row whose forum title is `title`."""
    soup = BeautifulSoup(html, "html.parser")
    for row in soup.select(".node"):
        link = row.select_one(".node__title a")
        if link and link.get_text(strip=True) == title:
            return row
    raise AssertionError(f"no forum row titled {title!r}")


def stat(row, label: str) -> int:
    for pair in row.select(".node__stats > div"):
        if pair.dt.get_text(strip=True) == label:
            return int(pair.dd["title"].replace(",", ""))
    raise AssertionError(f"no {label} column")


def test_index_shows_categories_with_their_forums(client, db):
    pakistan = factories.CategoryFactory(title="Pakistan")
    world = factories.CategoryFactory(title="World Affairs", display_order=20)
    factories.ForumFactory(title="Pakistan Army", parent=pakistan)
    factories.ForumFactory(title="Pakistan Navy", parent=pakistan)
    factories.ForumFactory(title="Middle East", parent=world)

    response = client.get("/")

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    blocks = {
        block.select_one(".block__header").get_text(strip=True): [
            a.get_text(strip=True) for a in block.select(".node__title a")
        ]
        for block in soup.select("section.node-list")
    }
    assert blocks == {
        "Pakistan": ["Pakistan Army", "Pakistan Navy"],
        "World Affairs": ["Middle East"],
    }
    category = soup.select_one("section.node-list")
    assert category["id"] == f"pakistan.{pakistan.pk}"


def test_index_row_shows_thread_and_message_counts(
    client, forum_node, member, other_member
):
    factories.make_thread(author=member, node=forum_node, replies=2)
    factories.make_thread(
        author=other_member, node=forum_node, replies=4, repliers=[member]
    )

    row = forum_row(client.get("/").content, "Pakistan Defence")

    assert stat(row, "Threads") == 2
    assert stat(row, "Messages") == 2 + 1 + 4 + 1


def test_index_row_shows_last_post_thread_title_and_poster(
    client, forum_node, member, other_member
):
    factories.make_thread(author=member, node=forum_node, title="Older thread")
    newest = factories.make_thread(
        author=member, node=forum_node, title="JF-17 Block III deliveries"
    )
    last_reply = factories.reply(author=other_member, thread=newest)

    row = forum_row(client.get("/").content, "Pakistan Defence")

    link = row.select_one(".node__last a")
    assert link.get_text(strip=True) == "JF-17 Block III deliveries"
    assert link["href"] == f"/posts/{last_reply.pk}/"
    assert "Another" in row.select_one(".node__last .meta").get_text()
    # The link lands on the last post of that thread.
    assert client.get(link["href"])["Location"] == last_reply.get_thread_url()


def test_index_forum_without_posts_says_so(client, forum_node):
    row = forum_row(client.get("/").content, "Pakistan Defence")

    assert stat(row, "Threads") == 0
    assert "No posts yet" in row.get_text()


def test_subforum_counts_and_last_post_roll_up_into_parent_row(
    client, forum_node, member, other_member
):
    subforum = factories.ForumFactory(title="Strategic Forces", parent=forum_node)
    factories.make_thread(
        author=member, node=forum_node, title="In the parent", replies=1
    )
    factories.make_thread(
        author=other_member, node=subforum, title="Nasr missile test", replies=2
    )

    row = forum_row(client.get("/").content, "Pakistan Defence")

    assert stat(row, "Threads") == 2
    assert stat(row, "Messages") == 2 + 3
    assert row.select_one(".node__last a").get_text(strip=True) == "Nasr missile test"
    assert "Another" in row.select_one(".node__last .meta").get_text()
    subforum_links = [a.get_text(strip=True) for a in row.select(".node__subforums a")]
    assert subforum_links == ["Strategic Forces"]


def test_subforum_is_listed_under_its_parent_not_as_its_own_row(client, forum_node):
    factories.ForumFactory(title="Strategic Forces", parent=forum_node)

    soup = BeautifulSoup(client.get("/").content, "html.parser")

    row_titles = [a.get_text(strip=True) for a in soup.select(".node__title a")]
    assert row_titles == ["Pakistan Defence"]


def test_index_hides_deleted_threads_from_the_counts(client, forum_node, member, staff):
    from forum.posts import services

    factories.make_thread(author=member, node=forum_node, title="Kept")
    gone = factories.make_thread(
        author=member, node=forum_node, title="Removed", replies=3
    )
    services.delete_thread(actor=staff, thread=gone)

    row = forum_row(client.get("/").content, "Pakistan Defence")

    assert stat(row, "Threads") == 1
    assert stat(row, "Messages") == 1
    assert row.select_one(".node__last a").get_text(strip=True) == "Kept"
