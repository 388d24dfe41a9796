"""The thread page: posts twenty a page, author cards, links, redirects, views."""

import re

from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from tests import factories


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def post_numbers(response) -> list[str]:
    return [
        a.get_text(strip=True) for a in soup_of(response).select(".message__permalink")
    ]


def test_thread_page_shows_twenty_posts_and_the_rest_on_page_two(
    client, forum_node, member
):
    thread = factories.make_thread(author=member, node=forum_node, replies=24)

    first = client.get(thread.get_absolute_url())
    second = client.get(thread.get_absolute_url(2))

    assert post_numbers(first) == [f"#{n}" for n in range(1, 21)]
    assert post_numbers(second) == [f"#{n}" for n in range(21, 26)]
    nav = soup_of(first).select_one(".page-nav")
    assert nav.select_one(".page-nav__next")["href"] == thread.get_absolute_url(2)


def test_each_post_has_an_author_card(client, forum_node, member):
    thread = factories.make_thread(author=member, node=forum_node, replies=1)
    member.refresh_from_db()

    soup = soup_of(client.get(thread.get_absolute_url()))

    assert len(soup.select(".message .author-card")) == 2
    card = soup.select_one(".message .author-card")
    name = card.select_one("a.username")
    assert name.get_text(strip=True) == "Reader"
    assert name["href"] == f"/members/reader.{member.pk}/"
    assert card.select_one(".author-card__title").get_text(strip=True) == "New Member"
    facts = {
        pair.dt.get_text(strip=True): pair.dd.get_text(strip=True)
        for pair in card.select(".author-card__facts > div")
    }
    joined = timezone.localtime(member.date_joined)
    assert facts["Joined"] == date_format(joined, "M j, Y")
    assert facts["Messages"] == "2"


def test_author_title_follows_the_message_count(client, forum_node, member):
    thread = factories.make_thread(author=member, node=forum_node)
    type(member).objects.filter(pk=member.pk).update(message_count=150)

    soup = soup_of(client.get(thread.get_absolute_url()))

    assert soup.select_one(".author-card__title").get_text(strip=True) == "Full Member"


def test_each_post_has_its_number_and_permalink(client, forum_node, member):
    thread = factories.make_thread(author=member, node=forum_node, replies=1)
    reply = thread.posts.get(position=1)

    soup = soup_of(client.get(thread.get_absolute_url()))

    article = soup.select_one(f"#post-{reply.pk}")
    permalink = article.select_one(".message__permalink")
    assert permalink.get_text(strip=True) == "#2"
    assert permalink["href"] == f"/posts/{reply.pk}/"


def test_permalink_of_a_post_on_page_three_lands_on_page_three(
    client, forum_node, member
):
    thread = factories.make_thread(
        author=member, node=forum_node, title="A thread", replies=45
    )
    post = thread.posts.get(position=42)

    response = client.get(f"/posts/{post.pk}/")

    assert response.status_code == 302
    assert (
        response["Location"] == f"/threads/a-thread.{thread.pk}/page-3#post-{post.pk}"
    )
    page = client.get(response["Location"].split("#")[0])
    assert soup_of(page).select_one(f"#post-{post.pk}") is not None


def test_permalink_of_an_unknown_post_is_not_found(client, db):
    assert client.get("/posts/987654/").status_code == 404


def test_stale_thread_slug_redirects_permanently(client, thread):
    response = client.get(f"/threads/old-title.{thread.pk}/")

    assert response.status_code == 301
    assert response["Location"] == f"/threads/a-thread.{thread.pk}/"


def test_thread_page_past_the_end_redirects_to_the_last_page(
    client, forum_node, member
):
    thread = factories.make_thread(author=member, node=forum_node, replies=25)

    response = client.get(f"/threads/{thread.slug}.{thread.pk}/page-99")

    assert response.status_code == 302
    assert response["Location"] == f"/threads/{thread.slug}.{thread.pk}/page-2"


def test_deleted_thread_is_not_found_for_members(client, thread, staff):
    from forum.posts import services

    services.delete_thread(actor=staff, thread=thread)

    assert client.get(thread.get_absolute_url()).status_code == 404


def test_breadcrumb_leads_back_through_forum_and_category(client, thread, forum_node):
    soup = soup_of(client.get(thread.get_absolute_url()))

    crumbs = [(a.get_text(strip=True), a["href"]) for a in soup.select(".breadcrumb a")]
    assert crumbs == [
        ("Forums", "/"),
        ("Pakistan", f"/#pakistan.{forum_node.parent_id}"),
        ("Pakistan Defence", f"/forums/pakistan-defence.{forum_node.pk}/"),
    ]


def test_back_top_and_bottom_links_point_somewhere_real(client, thread, forum_node):
    soup = soup_of(client.get(thread.get_absolute_url()))

    jumps = {a.get_text(strip=True): a["href"] for a in soup.select(".jump-nav a")}
    assert jumps == {
        "Back": forum_node.get_absolute_url(),
        "Top": "#top",
        "Bottom": "#bottom",
    }
    assert soup.find(id="top") is not None
    assert soup.find(id="bottom") is not None


def test_members_get_a_reply_box(member_client, thread):
    soup = soup_of(member_client.get(thread.get_absolute_url()))

    form = soup.select_one("#reply form")
    assert form["action"] == thread.get_reply_url()
    assert form.select_one("textarea[name=body]") is not None


def test_guests_get_a_log_in_prompt_instead_of_a_reply_box(client, thread):
    soup = soup_of(client.get(thread.get_absolute_url()))

    assert soup.select_one("#reply") is None
    assert soup.select("textarea") == []
    notice = soup.select_one(".notice")
    assert "You must log in to reply." in notice.get_text()
    login = notice.select_one("a")
    assert login["href"] == f"/accounts/login/?next=/threads/a-thread.{thread.pk}/"


def view_count(thread) -> int:
    """What the thread's view counter says once the buffered views are written."""
    from forum.threads.viewcounts import flush_view_counts

    flush_view_counts()
    thread.refresh_from_db()
    return thread.view_count


def test_a_reload_by_the_same_visitor_counts_one_view(client, thread):
    client.get(thread.get_absolute_url())
    client.get(thread.get_absolute_url())
    client.get(thread.get_absolute_url())

    assert view_count(thread) == 1


def test_a_different_visitor_counts_another_view(member_client, thread, other_member):
    member_client.get(thread.get_absolute_url())
    other = Client()
    other.force_login(other_member)
    other.get(thread.get_absolute_url())
    other.get(thread.get_absolute_url())
    Client(REMOTE_ADDR="203.0.113.9").get(thread.get_absolute_url())

    assert view_count(thread) == 3


def test_post_times_are_machine_readable(client, thread):
    soup = soup_of(client.get(thread.get_absolute_url()))

    stamp = soup.select_one(".message__header time")["datetime"]
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d", stamp)
