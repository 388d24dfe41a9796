"""Starting a thread about an article already discussed: the form says so, with
links to those threads, before anything is posted."""

import pytest
from django.test import Client
from django.urls import reverse

from forum.posts import services
from forum.threads.models import Thread
from tests import factories
from tests.news.news_helpers import make_quote

URL = "https://tribune.com.pk/story/534012/strategic-dialogue"


@pytest.fixture
def earlier(db, forum_node):
    """A thread by someone else that already quotes the article."""
    make_quote(URL)
    author = factories.MemberFactory(username="Windjammer")
    return factories.make_thread(
        author=author,
        node=forum_node,
        title="Pakistan - Russia Strategic dialogue",
        body=f"{URL}\nWorth watching.",
    )


def new_thread_form(client, node, **data):
    return client.post(
        node.get_post_thread_url(),
        {
            "title": "Russian delegation to visit",
            "body": f"{URL}?utm_source=fb",
            **data,
        },
    )


def test_first_submit_shows_the_threads_already_discussing_the_article(
    earlier, member_client, forum_node
):
    response = new_thread_form(member_client, forum_node)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Already discussed." in html
    assert f'href="{earlier.get_absolute_url()}"' in html
    assert "Pakistan - Russia Strategic dialogue" in html
    assert 'name="post_anyway"' in html
    # The form comes back as the member wrote it, and nothing was posted.
    assert 'value="Russian delegation to visit"' in html
    assert "utm_source=fb</textarea>" in html
    assert Thread.objects.count() == 1


def test_post_anyway_starts_the_thread(earlier, member_client, forum_node):
    response = new_thread_form(member_client, forum_node, post_anyway="1")

    assert response.status_code == 302
    created = Thread.objects.exclude(pk=earlier.pk).get()
    assert created.title == "Russian delegation to visit"
    assert response["Location"] == created.get_absolute_url()


def test_a_message_about_something_new_posts_straight_away(
    earlier, member_client, forum_node
):
    response = new_thread_form(
        member_client, forum_node, body="https://www.dawn.com/news/1/other-story"
    )

    assert response.status_code == 302
    assert Thread.objects.count() == 2


def test_an_article_named_by_its_news_tag_is_recognised(
    earlier, member_client, forum_node
):
    quote = earlier.posts.get().news_articles.get().quote

    response = new_thread_form(member_client, forum_node, body=f"[NEWS={quote.pk}]")

    assert "Already discussed." in response.content.decode()


def test_threads_the_member_cannot_see_are_not_listed(
    earlier, member_client, forum_node, staff
):
    services.delete_thread(actor=staff, thread=earlier)

    response = new_thread_form(member_client, forum_node)

    assert response.status_code == 302  # nothing to warn about: posted


def test_the_notice_is_shown_again_until_post_anyway_is_ticked(
    earlier, member_client, forum_node
):
    new_thread_form(member_client, forum_node)
    again = new_thread_form(member_client, forum_node)

    assert "Already discussed." in again.content.decode()
    assert Thread.objects.count() == 1


# --- the live check (the form's script) ---------------------------------------


def test_live_check_returns_the_notice_for_a_message_being_written(
    earlier, member_client
):
    response = member_client.post(reverse("news:discussed"), {"body": f"See\n{URL}"})

    assert response.status_code == 200
    assert f'href="{earlier.get_absolute_url()}"' in response.content.decode()


def test_live_check_says_nothing_about_unknown_articles(earlier, member_client):
    response = member_client.post(
        reverse("news:discussed"), {"body": "https://example.com/unknown"}
    )

    assert response.content.decode().strip() == ""


def test_live_check_needs_a_member_and_a_post(earlier):
    guest = Client()
    assert guest.post(reverse("news:discussed"), {"body": URL}).status_code == 302
    member = Client()
    member.force_login(factories.MemberFactory())
    assert member.get(reverse("news:discussed")).status_code == 405


def test_new_thread_form_loads_the_live_check(member_client, forum_node):
    html = member_client.get(forum_node.get_post_thread_url()).content.decode()

    assert 'data-check-url="/news/discussed"' in html
    assert "js/news.js" in html
