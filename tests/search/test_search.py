"""Search: full-text search over posts, its filters, snippets, and its refusals."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from forum.posts import services
from tests import factories


def results(html: str) -> list[str]:
    """Thread titles of the results, in order (highlights removed)."""
    titles = re.findall(
        r'<h3 class="search-hit__title"><a href="[^"]*">(.*?)</a>', html
    )
    return [re.sub(r"</?mark>", "", title) for title in titles]


def snippets(html: str) -> list[str]:
    return re.findall(r'<p class="search-hit__snippet">(.*?)</p>', html, re.S)


def search(client, **params):
    response = client.get("/search/", params)
    return response, response.content.decode()


def post_thread(author, node, title, body, **kwargs):
    return services.create_thread(
        author=author, node=node, title=title, body=body, enforce_limits=False, **kwargs
    ).post


@pytest.fixture
def affairs(forum_node):
    return factories.ForumFactory(title="Pakistan Affairs", parent=forum_node.parent)


def test_search_finds_posts_by_word_with_english_stemming(client, forum_node, member):
    post_thread(member, forum_node, "Rocket force", "The new missiles were tested.")
    post_thread(member, forum_node, "Cricket", "A fine innings at Lahore.")

    response, html = search(client, q="missile")

    assert response.status_code == 200
    assert results(html) == ["Rocket force"]
    assert "Results: 1" in html


def test_a_quoted_phrase_matches_only_the_phrase(client, forum_node, member):
    post_thread(member, forum_node, "Talks", "The strategic dialogue starts in April.")
    post_thread(
        member, forum_node, "Other talks", "A dialogue that is strategic in name only."
    )

    _, html = search(client, q='"strategic dialogue"')

    assert results(html) == ["Talks"]


def test_a_minus_word_leaves_posts_with_it_out(client, forum_node, member):
    post_thread(member, forum_node, "Navy one", "Submarines and frigates.")
    post_thread(member, forum_node, "Navy two", "Submarines and corvettes.")

    _, html = search(client, q="submarines -frigates")

    assert results(html) == ["Navy two"]


def test_a_title_match_ranks_above_a_passing_mention(client, forum_node, member):
    post_thread(member, forum_node, "Budget news", "Drones are mentioned once here.")
    post_thread(member, forum_node, "Drones", "All about unmanned aircraft.")

    _, html = search(client, q="drones")

    assert results(html) == ["Drones", "Budget news"]


def test_snippets_highlight_the_matched_words(client, forum_node, member):
    post_thread(member, forum_node, "Radar", "The new radar covers the whole coast.")

    _, html = search(client, q="radar coast")

    [snippet] = snippets(html)
    assert "<mark>radar</mark>" in snippet
    assert "<mark>coast</mark>" in snippet


def test_snippets_escape_markup_written_in_posts(client, forum_node, member):
    post_thread(
        member,
        forum_node,
        "Exploit",
        "Radar code: [code]<script>alert('radar')</script>[/code] "
        "and <mark>fake</mark>",
    )

    _, html = search(client, q="radar")

    [snippet] = snippets(html)
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "&lt;mark&gt;fake" in snippet
    assert "<mark>fake" not in snippet
    assert "<mark>radar</mark>" in snippet.lower() or "<mark>Radar</mark>" in snippet


def test_a_post_cannot_forge_the_highlight_markers(client, forum_node, member):
    post_thread(member, forum_node, "Forgery", "tank \ue000<b>x</b>\ue001 tank")

    _, html = search(client, q="tank")

    [snippet] = snippets(html)
    assert "\ue000" not in snippet and "\ue001" not in snippet
    assert "<b>" not in snippet


def test_search_leaves_out_deleted_posts_and_deleted_threads(
    client, forum_node, member, staff
):
    kept = post_thread(member, forum_node, "Kept", "Artillery drills.")
    gone = post_thread(member, forum_node, "Gone thread", "Artillery parade.")
    reply = factories.reply(
        author=member, thread=kept.thread, body="Artillery reply to delete."
    )
    services.delete_thread(actor=staff, thread=gone.thread)
    services.delete_post(actor=staff, post=reply)

    _, html = search(client, q="artillery")

    assert results(html) == ["Kept"]


def test_search_leaves_out_posts_awaiting_approval(client, forum_node, member):
    post = post_thread(member, forum_node, "Pending", "Helicopters awaiting review.")
    type(post).objects.filter(pk=post.pk).update(is_approved=False)

    _, html = search(client, q="helicopters")

    assert results(html) == []
    assert "No results matched your search." in html


def test_search_in_one_forum(client, forum_node, affairs, member):
    post_thread(member, forum_node, "Defence economy", "Economy of defence.")
    post_thread(member, affairs, "Affairs economy", "Economy at large.")

    _, html = search(client, q="economy", node=affairs.pk)

    assert results(html) == ["Affairs economy"]
    assert "Searching one forum only." in html


def test_search_in_a_forum_includes_its_sub_forums(client, forum_node, member):
    sub = factories.ForumFactory(title="Missiles", parent=forum_node)
    post_thread(member, sub, "Deep down", "Ballistic trajectories.")

    _, html = search(client, q="ballistic", node=forum_node.pk)

    assert results(html) == ["Deep down"]


def test_search_in_one_thread(client, forum_node, member, other_member):
    first = post_thread(member, forum_node, "First", "Tanks rolled in.")
    post_thread(member, forum_node, "Second", "Tanks rolled out.")
    factories.reply(author=other_member, thread=first.thread, body="More tanks.")

    _, html = search(client, q="tanks", thread=first.thread_id)

    assert results(html) == ["First", "First"]


def test_search_by_member(client, forum_node, member, other_member):
    post_thread(member, forum_node, "Mine", "Satellites in orbit.")
    post_thread(other_member, forum_node, "Theirs", "Satellites launched.")

    _, html = search(client, q="satellites", member="another")

    assert results(html) == ["Theirs"]


def test_search_by_an_unknown_member_says_so(client, forum_node, member):
    post_thread(member, forum_node, "Mine", "Satellites in orbit.")

    _, html = search(client, q="satellites", member="Nobody Here")

    assert results(html) == []
    assert "There is no member named &quot;Nobody Here&quot;." in html


def test_search_between_dates(client, forum_node, member):
    old = datetime(2013, 4, 12, 10, 0, tzinfo=UTC)
    post_thread(member, forum_node, "Then", "Diplomacy in 2013.", at=old)
    post_thread(member, forum_node, "Now", "Diplomacy today.")

    _, before = search(client, q="diplomacy", to="2013-04-12")
    _, after = search(client, q="diplomacy", **{"from": "2013-04-13"})
    _, day = search(client, q="diplomacy", **{"from": "2013-04-12", "to": "2013-04-12"})

    assert results(before) == ["Then"]
    assert results(after) == ["Now"]
    assert results(day) == ["Then"]


def test_a_bad_date_is_explained(client, db):
    _, html = search(client, q="diplomacy", **{"from": "12/04/2013"})

    assert "Enter a valid date." in html
    assert results(html) == []


def test_titles_only_matches_thread_titles_not_post_text(
    client, forum_node, member, other_member
):
    titled = post_thread(member, forum_node, "Fighter jets", "About aircraft.")
    post_thread(member, forum_node, "Procurement", "Fighter jets are expensive.")
    factories.reply(author=other_member, thread=titled.thread, body="Fighter jets!")

    _, everything = search(client, q="fighter jets")
    _, html = search(client, q="fighter jets", titles_only="1")

    assert sorted(results(everything)) == [
        "Fighter jets",
        "Fighter jets",
        "Procurement",
    ]
    assert results(html) == ["Fighter jets"]
    assert "<mark>Fighter</mark> <mark>jets</mark>" in snippets(html)[0]


def test_titles_only_matches_a_phrase_in_a_title(client, forum_node, member):
    post_thread(member, forum_node, "Strategic dialogue", "Talks.")
    post_thread(member, forum_node, "Dialogue, strategic", "More talks.")

    _, html = search(client, q='"strategic dialogue"', titles_only="1")

    assert results(html) == ["Strategic dialogue"]


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "Enter some words to search for."),
        ("   ", "Enter some words to search for."),
        ("x", "Search for at least 2 characters."),
        ("x" * 201, "Search for at most 200 characters (this has 201)."),
    ],
)
def test_a_query_too_short_or_too_long_is_explained_with_the_form_refilled(
    client, db, q, message
):
    response, html = search(client, q=q, member="Windjammer")

    assert response.status_code == 200
    assert message in html
    assert 'value="Windjammer"' in html
    if q.strip():
        assert f'value="{q}"' in html
    assert "search-results" not in html


def test_the_bare_search_page_shows_the_form_without_complaint(client, db):
    response = client.get("/search/")
    html = response.content.decode()

    assert response.status_code == 200
    assert 'name="q"' in html
    assert "form-errors" not in html


def test_a_query_of_only_common_words_is_explained(client, forum_node, member):
    post_thread(member, forum_node, "Anything", "The and of.")

    _, html = search(client, q="the of and")

    assert "your search holds only very common words" in html


def test_search_is_rate_limited_with_a_clear_message(client, forum_node, member):
    post_thread(member, forum_node, "Radar", "Radar news.")
    with override_settings(FORUM_RATE_LIMITS={"search": (2, 60)}):
        for words in ("radar", "radar news"):
            response, _ = search(client, q=words)
            assert response.status_code == 200
        response, html = search(client, q="news")

    assert response.status_code == 429
    assert (
        "Too many searches: at most 2 a minute. Please wait a moment and try again."
        in html
    )
    assert results(html) == []


def test_a_search_served_from_the_page_cache_costs_no_budget(
    client, forum_node, member
):
    post_thread(member, forum_node, "Radar", "Radar news.")
    with override_settings(FORUM_RATE_LIMITS={"search": (1, 60)}):
        for _ in range(3):
            response, html = search(client, q="radar")
            assert response.status_code == 200
    assert results(html) == ["Radar"]


def test_the_rate_limit_counts_each_member_apart(
    client, forum_node, member, other_member
):
    post_thread(member, forum_node, "Radar", "Radar news.")
    client.force_login(member)
    with override_settings(FORUM_RATE_LIMITS={"search": (1, 60)}):
        search(client, q="radar")
        client.force_login(other_member)
        response, html = search(client, q="radar")

    assert response.status_code == 200
    assert results(html) == ["Radar"]


def test_search_pages_ask_search_engines_not_to_index_them(client, db):
    assert '<meta name="robots" content="noindex">' in search(client, q="radar")[1]
    assert (
        '<meta name="robots" content="noindex">'
        in client.get("/search/").content.decode()
    )


def test_results_are_paginated_twenty_a_page_keeping_the_query(
    client, forum_node, member
):
    thread = post_thread(member, forum_node, "Long", "Armour opening.").thread
    base = timezone.now() - timedelta(hours=1)
    for n in range(24):
        services.reply_to_thread(
            author=member,
            thread=thread,
            body=f"Armour note {n}.",
            enforce_limits=False,
            at=base + timedelta(minutes=n),
        )

    _, first = search(client, q="armour", node=forum_node.pk)
    _, second = search(client, q="armour", node=forum_node.pk, page=2)

    assert len(results(first)) == 20
    assert len(results(second)) == 5
    assert "Results: 25" in first
    assert f'href="?q=armour&amp;node={forum_node.pk}&amp;page=2"' in first


def test_results_link_to_the_post_on_its_page(client, forum_node, member):
    post = post_thread(member, forum_node, "Linked", "Corvette launch.")

    _, html = search(client, q="corvette")

    assert f'href="/threads/linked.{post.thread_id}/#post-{post.pk}"' in html


def test_result_titles_mark_the_matched_words_and_keep_every_character(
    client, forum_node, member
):
    post_thread(member, forum_node, "<b>Radar</b> & sonar &amp; more", "Radar talk.")

    _, html = search(client, q="radar")

    [title] = re.findall(r'<h3 class="search-hit__title"><a [^>]*>(.*?)</a>', html)
    assert title == "&lt;b&gt;<mark>Radar</mark>&lt;/b&gt; &amp; sonar &amp;amp; more"


def test_a_broad_search_ranks_the_newest_matches_and_says_there_are_more(
    client, forum_node, member
):
    base = timezone.now() - timedelta(hours=1)
    for n in range(5):
        post_thread(
            member,
            forum_node,
            f"Patrol {n}",
            "Patrol boats." if n != 3 else "Patrol patrol patrol boats.",
            at=base + timedelta(minutes=n),
        )

    with override_settings(FORUM_SEARCH_MAX_RESULTS=3):
        _, html = search(client, q="patrol")

    assert "Results: 3+" in html
    assert results(html) == ["Patrol 3", "Patrol 4", "Patrol 2"]


def test_a_tag_narrows_the_results_to_its_threads_replies_included(
    client, forum_node, member, other_member
):
    from forum.threads import tagging

    navy = post_thread(member, forum_node, "Fleet review", "Frigates on parade.")
    other = post_thread(member, forum_node, "Budget talk", "Frigates cost money.")
    tagging.set_thread_tags(thread=navy.thread, names=["Navy"], by=member)
    factories.reply(
        author=other_member, thread=navy.thread, body="Two more frigates next year."
    )
    factories.make_thread(author=member, node=forum_node, body="Frigates elsewhere.")

    _, html = search(client, q="frigates", tag="navy")

    assert results(html) == ["Fleet review", "Fleet review"]
    assert other.thread.title not in html
    _, unknown = search(client, q="frigates", tag="no such tag")
    assert "There is no tag" in unknown and results(unknown) == []
