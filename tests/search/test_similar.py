"""Similar threads under a thread, "already discussed" titles on the new-thread
form, results grouped per thread, and filters other apps add."""

import pytest
from django.test import Client

from forum.posts import services
from forum.search import filters
from tests import factories


def _thread(author, node, title, body="Text of the thread."):
    return services.create_thread(
        author=author, node=node, title=title, body=body, enforce_limits=False
    ).post.thread


@pytest.fixture
def threads(forum_node, member):
    return {
        title: _thread(member, forum_node, title)
        for title in (
            "JF-17 Thunder block III radar",
            "Thunder radar upgrade news",
            "Cricket world cup",
            "Old radar thread",
        )
    }


def test_a_thread_shows_threads_with_similar_titles_not_itself(client, threads, staff):
    services.delete_thread(actor=staff, thread=threads["Old radar thread"])
    html = client.get(threads["JF-17 Thunder block III radar"].get_absolute_url())
    html = html.content.decode()
    similar = html.split("Similar threads", 1)[1]
    assert "Thunder radar upgrade news" in similar
    assert "Cricket world cup" not in similar
    assert "Old radar thread" not in similar  # deleted
    assert "JF-17 Thunder block III radar</a>" not in similar


def test_a_thread_with_nothing_similar_shows_no_block(client, threads):
    html = client.get(threads["Cricket world cup"].get_absolute_url()).content.decode()
    assert "Similar threads" not in html


def test_the_new_thread_form_shows_similar_titles_on_preview_without_holding(
    member_client, member, forum_node, threads
):
    url = forum_node.get_post_thread_url()
    preview = member_client.post(
        url, {"title": "Thunder radar", "body": "Some words here.", "preview": "1"}
    ).content.decode()
    assert "Already discussed?" in preview
    assert "Thunder radar upgrade news" in preview

    factories.wait_out_flood(member)
    posted = member_client.post(
        url, {"title": "Thunder radar", "body": "Words about the radar."}
    )
    assert posted.status_code == 302  # shown, never holding the post


def test_similar_titles_for_a_script(member_client, threads):
    data = member_client.get("/search/similar-titles", {"title": "radar upgrade"})
    assert "Thunder radar upgrade news" in data.json()["html"]
    assert Client().get("/search/similar-titles?title=radar").status_code == 302


def test_too_many_title_look_ups_get_a_429_the_script_passes_over(
    member_client, threads, settings, monkeypatch
):
    from forum.core import ratelimit

    settings.FORUM_RATE_LIMITS = {
        **settings.FORUM_RATE_LIMITS,
        "similar_titles": (2, 60),
    }
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_700_000_040.0)
    for typed in ("radar", "radar upgrade"):
        found = member_client.get("/search/similar-titles", {"title": typed})
        assert found.status_code == 200
    refused = member_client.get("/search/similar-titles", {"title": "radar up"})
    assert refused.status_code == 429
    assert refused.json() == {
        "error": "Too many title look-ups: at most 2 a minute. "
        "Please wait a moment and try again."
    }
    assert int(refused["Retry-After"]) > 0


def test_results_grouped_per_thread_name_each_thread_once(client, forum_node, member):
    thread = _thread(member, forum_node, "Missile tests", "A missile was tested.")
    for _ in range(3):  # by three others (a member's next post joins their last)
        services.reply_to_thread(
            author=factories.MemberFactory(),
            thread=thread,
            body="Another missile.",
            enforce_limits=False,
        )
    _thread(member, forum_node, "Other", "No missile here? A missile.")

    every = client.get("/search/", {"q": "missile"}).content.decode()
    grouped = client.get("/search/", {"q": "missile", "group": "thread"})
    grouped = grouped.content.decode()

    assert "Results: 5" in every
    assert "Results: 2" in grouped
    assert "4 matching messages in this thread" in grouped


def test_a_registered_filter_narrows_the_results(client, forum_node, member):
    _thread(member, forum_node, "Naval drills", "The navy sailed.")
    _thread(member, forum_node, "Naval budget", "The navy spends.")
    filters.register(
        filters.SearchFilter(
            name="budgetonly",
            narrow=lambda posts, value: posts.filter(thread__title__icontains=value),
        )
    )
    try:
        html = client.get("/search/", {"q": "navy", "budgetonly": "budget"})
        html = html.content.decode()
    finally:
        filters._registry.pop("budgetonly")
    assert "Results: 1" in html
    assert "Naval budget" in html
