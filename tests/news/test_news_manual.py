"""Cards written by hand when a site can't be fetched, who may edit them, and staff
asking for a fetch again."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from forum.news.models import NewsQuote, Publication
from tests import factories
from tests.news.article_server import Route, html_route
from tests.news.news_helpers import article_html, make_quote, run_worker

URL = "https://www.nation.com.pk/12-Apr-2013/pakistan-russia-warming-up"

CARD = {
    "headline": "Pakistan, Russia warming up for strategic rounds: FO",
    "publication_name": "The Nation",
    "published": "2013-04-12",
    "author": "Maqbool Malik",
    "dateline": "Islamabad",
    "excerpt": "Consultations later this month will focus on strategic stability.",
}


@pytest.fixture
def creator(db):
    return factories.MemberFactory(username="Indus Raider")


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_creator_writes_a_failed_card_by_hand_and_it_shows_in_the_thread(
    creator, forum_node
):
    quote = make_quote(URL, status="failed", created_by=creator, error="Too slow.")
    thread = factories.make_thread(
        author=creator, node=forum_node, body=f"Follow-up report:\n{URL}"
    )
    client = client_for(creator)

    response = client.post(reverse("news:edit", args=[quote.pk]), CARD)

    assert response.status_code == 302
    assert response["Location"] == quote.get_absolute_url()
    quote.refresh_from_db()
    assert quote.status == NewsQuote.Status.MANUAL and quote.manual
    assert quote.published == datetime.date(2013, 4, 12)
    assert quote.publication.name == "The Nation"
    assert quote.publication.domain == "nation.com.pk"
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Pakistan, Russia warming up for strategic rounds: FO" in page
    assert "Maqbool Malik" in page
    assert "ISLAMABAD:" in page


def test_creator_edits_their_hand_written_card_later(creator):
    quote = make_quote(URL, status="manual", created_by=creator, headline="Draft")
    client = client_for(creator)

    form = client.get(reverse("news:edit", args=[quote.pk])).content.decode()
    assert 'value="Draft"' in form
    client.post(reverse("news:edit", args=[quote.pk]), {**CARD, "author": ""})

    quote.refresh_from_db()
    assert quote.headline == CARD["headline"]
    assert quote.author == ""


@pytest.mark.parametrize("status", ["failed", "manual", "ok"])
def test_other_members_may_not_edit_a_card(status, creator, other_member):
    quote = make_quote(URL, status=status, created_by=creator, headline="Original")

    response = client_for(other_member).post(
        reverse("news:edit", args=[quote.pk]), CARD
    )

    assert response.status_code == 403
    quote.refresh_from_db()
    assert quote.headline in ("", "Original")


def test_guests_are_sent_to_log_in(creator):
    quote = make_quote(URL, status="failed", created_by=creator)

    response = Client().get(reverse("news:edit", args=[quote.pk]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_creator_may_not_rewrite_a_card_fetched_from_the_site(creator):
    quote = make_quote(URL, status="ok", created_by=creator, headline="As published")

    response = client_for(creator).post(reverse("news:edit", args=[quote.pk]), CARD)

    assert response.status_code == 403
    quote.refresh_from_db()
    assert quote.headline == "As published"


def test_staff_may_correct_any_card(creator, staff):
    quote = make_quote(URL, status="ok", created_by=creator, headline="Typo'd")

    client_for(staff).post(reverse("news:edit", args=[quote.pk]), CARD)

    quote.refresh_from_db()
    assert quote.headline == CARD["headline"]
    assert quote.manual


def test_a_headline_is_required(creator):
    quote = make_quote(URL, status="failed", created_by=creator)

    response = client_for(creator).post(
        reverse("news:edit", args=[quote.pk]), {**CARD, "headline": "   "}
    )

    assert response.status_code == 200
    assert "Please enter the headline." in response.content.decode()
    quote.refresh_from_db()
    assert quote.status == NewsQuote.Status.FAILED


def test_a_member_cannot_rename_a_known_publication(creator):
    Publication.objects.create(name="The Nation", domain="nation.com.pk")
    quote = make_quote(URL, status="failed", created_by=creator, publication="")

    client_for(creator).post(
        reverse("news:edit", args=[quote.pk]),
        {**CARD, "publication_name": "Fake News Daily"},
    )

    assert Publication.objects.get().name == "The Nation"


def test_card_page_offers_writing_by_hand_to_the_creator(creator, other_member):
    quote = make_quote(URL, status="failed", created_by=creator, error="Too slow.")

    mine = client_for(creator).get(quote.get_absolute_url()).content.decode()
    theirs = client_for(other_member).get(quote.get_absolute_url()).content.decode()

    assert "Write the card by hand" in mine
    assert "Write the card by hand" not in theirs
    assert "Too slow." in theirs


# --- fetching again ---------------------------------------------------------------


def test_only_staff_see_and_use_fetch_again(creator, staff):
    quote = make_quote(URL, status="failed", created_by=creator, error="Too slow.")
    retry_url = reverse("news:retry", args=[quote.pk])

    assert (
        "Fetch again"
        not in client_for(creator).get(quote.get_absolute_url()).content.decode()
    )
    assert client_for(creator).post(retry_url).status_code == 403
    assert (
        "Fetch again"
        in client_for(staff).get(quote.get_absolute_url()).content.decode()
    )


def test_staff_cannot_refetch_over_a_hand_written_card(staff, creator):
    quote = make_quote(URL, status="manual", created_by=creator)

    response = client_for(staff).post(reverse("news:retry", args=[quote.pk]))

    assert response.status_code == 403
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_staff_retry_turns_a_failed_card_into_a_fetched_one(article_server):
    staff = factories.MemberFactory(username="Moderator", is_staff=True)
    poster = factories.MemberFactory(username="Poster")
    node = factories.ForumFactory()
    article_server.add("/story", Route(status=503, body=b"down"))
    url = article_server.url("/story")
    thread = factories.make_thread(author=poster, node=node, body=url)
    run_worker()
    quote = NewsQuote.objects.get()
    assert quote.status == NewsQuote.Status.FAILED

    # The site is back; pasting the link again does not fetch a failed card...
    article_server.add("/story", html_route(article_html(image="")))
    factories.wait_out_flood(poster)
    factories.reply(author=poster, thread=thread, body=url)
    run_worker()
    assert article_server.paths() == ["/story"]

    # ...but staff asking for it does.
    client_for(staff).post(reverse("news:retry", args=[quote.pk]))
    quote.refresh_from_db()
    assert quote.status == NewsQuote.Status.PENDING
    run_worker()

    quote.refresh_from_db()
    assert quote.status == NewsQuote.Status.OK
    assert article_server.paths() == ["/story", "/story"]
    assert (
        "Strategic dialogue" in Client().get(thread.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_admin_action_queues_a_fetch_again(article_server):
    admin = factories.MemberFactory(username="Admin", is_staff=True, is_superuser=True)
    article_server.add("/story", html_route(article_html(image="")))
    quote = make_quote(article_server.url("/story"), status="failed")
    client = client_for(admin)

    response = client.post(
        reverse("admin:news_newsquote_changelist"),
        {"action": "fetch_again", "_selected_action": [quote.pk]},
    )
    run_worker()

    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == NewsQuote.Status.OK


@pytest.mark.django_db(transaction=True)
def test_a_fetch_finishing_after_a_hand_written_card_leaves_it_alone(
    article_server,
):
    poster = factories.MemberFactory(username="Poster")
    article_server.add("/story", html_route(article_html(image="")))
    url = article_server.url("/story")
    factories.make_thread(author=poster, node=factories.ForumFactory(), body=url)
    quote = NewsQuote.objects.get()
    # The member fills the card before the worker gets to it.
    client_for(poster).post(reverse("news:edit", args=[quote.pk]), CARD)

    run_worker()

    quote.refresh_from_db()
    assert quote.status == NewsQuote.Status.MANUAL
    assert quote.headline == CARD["headline"]
    assert article_server.paths() == []
