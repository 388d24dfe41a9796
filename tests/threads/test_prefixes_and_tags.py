"""Thread prefixes and tags: chosen when posting and editing, shown before titles,
refused with words that say why (the text typed stays), counted exactly."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from forum.posts import services as post_services
from forum.posts.recount import counter_drift, recount_all
from forum.threads import prefixes
from forum.threads.models import Prefix, Tag, Thread
from tests import factories


@pytest.fixture(autouse=True)
def _no_flood(settings):
    settings.FORUM_FLOOD_SECONDS = 0
    settings.FORUM_FLOOD_SECONDS_NEW_MEMBER = 0


@pytest.fixture
def analysis(forum_node):
    prefix = Prefix.objects.create(label="Analysis", colour=Prefix.Colour.BLUE)
    prefix.forums.add(forum_node)
    prefixes.forget_local()
    return prefix


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post_thread(client, node, **fields):
    data = {"title": "Dams on the Indus", "body": "Who pays for them?"} | fields
    return client.post(node.get_post_thread_url(), data)


def test_a_thread_posted_with_a_prefix_and_tags_shows_them_everywhere(
    forum_node, member, analysis
):
    client = _client(member)
    response = _post_thread(client, forum_node, prefix=analysis.pk, tags="JF-17, CPEC")
    thread = Thread.objects.get()
    assert response.status_code == 302

    page = client.get(thread.get_absolute_url()).content.decode()
    heading = BeautifulSoup(page, "html.parser").select_one("h1.page-title")
    assert heading.select_one(".prefix.prefix--blue").get_text() == "Analysis"
    assert 'href="/tags/jf17/">JF-17</a>' in page
    listing = client.get(forum_node.get_absolute_url()).content.decode()
    row = BeautifulSoup(listing, "html.parser").select_one(".thread-row")
    assert row.select_one(".prefix").get_text() == "Analysis"
    assert [a.get_text() for a in row.select(".tag")] == ["CPEC", "JF-17"]
    index = Client().get("/").content.decode()
    assert '<span class="prefix prefix--blue">Analysis</span>' in index
    feed = Client().get(forum_node.get_absolute_url() + "index.rss").content.decode()
    assert "<title>Analysis: Dams on the Indus</title>" in feed


def test_a_forum_that_requires_a_prefix_refuses_without_one_and_keeps_the_text(
    forum_node, member, analysis
):
    forum_node.prefix_required = True
    forum_node.save()
    response = _post_thread(
        _client(member), forum_node, body="Every word I typed", tags="Water"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please choose a prefix: every thread in this forum has one." in page
    assert "Every word I typed" in page
    assert 'value="Water"' in page
    assert Thread.objects.count() == 0


def test_a_prefix_for_moderators_is_not_offered_to_members(
    forum_node, member, staff, analysis
):
    analysis.usable_by = Prefix.UsableBy.MODERATORS
    analysis.save()
    prefixes.changed()
    form = _client(member).get(forum_node.get_post_thread_url()).content.decode()
    assert "Analysis" not in form
    _post_thread(_client(member), forum_node, prefix=analysis.pk)
    assert Thread.objects.get().prefix_id is None  # not theirs to give
    _post_thread(_client(staff), forum_node, title="News", prefix=analysis.pk)
    assert Thread.objects.get(title="News").prefix_id == analysis.pk


def test_too_many_tags_are_refused_with_the_limit(forum_node, member, settings):
    settings.FORUM_MAX_TAGS_PER_THREAD = 2
    response = _post_thread(_client(member), forum_node, tags="a1, b2, c3")
    assert "A thread may have at most 2 tags; you gave 3." in response.content.decode()
    assert Thread.objects.count() == 0


def test_spellings_and_synonyms_of_a_tag_file_the_thread_under_it(forum_node, member):
    jf17 = Tag.objects.create(name="JF-17", key="jf17", is_official=True)
    Tag.objects.create(name="Thunder", key="thunder", synonym_of=jf17)
    _post_thread(_client(member), forum_node, tags="jf 17, THUNDER, Jf17")
    thread = Thread.objects.get()
    assert thread.tag_list == [["jf17", "JF-17"]]
    jf17.refresh_from_db()
    assert jf17.thread_count == 1
    # The synonym's address is its tag's.
    assert Client().get("/tags/thunder/")["Location"] == "/tags/jf17/"


def test_the_starter_edits_tags_and_a_moderator_changes_the_prefix(
    forum_node, member, other_member, staff, analysis
):
    thread = factories.make_thread(author=member, node=forum_node, title="Budget")
    first = thread.posts.get(position=0)
    edit_url = f"/posts/{first.pk}/edit"
    form = _client(member).get(edit_url).content.decode()
    assert 'name="tags"' in form and 'name="prefix"' in form
    _client(member).post(
        edit_url, {"title": "Budget", "body": first.body, "tags": "Economy"}
    )
    _client(staff).post(
        edit_url,
        {"title": "Budget", "body": first.body, "tags": "Economy, Taxes",
         "prefix": analysis.pk},
    )  # fmt: skip
    thread.refresh_from_db()
    assert thread.prefix_id == analysis.pk
    assert [name for _key, name in thread.tag_list] == ["Economy", "Taxes"]


def test_the_tag_page_lists_only_threads_the_viewer_may_see(forum_node, member, staff):
    from tests.moderation.conftest import make_private

    hidden = factories.ForumFactory(title="Staff room", parent=forum_node.parent)
    make_private(hidden)
    client = _client(member)
    _post_thread(client, forum_node, title="Open thread", tags="Navy")
    _post_thread(_client(staff), hidden, title="Staff thread", tags="Navy")
    shown = client.get("/tags/navy/").content.decode()
    assert "Open thread" in shown and "Staff thread" not in shown
    assert "Staff thread" in _client(staff).get("/tags/navy/").content.decode()
    assert Client().get("/tags/nothing-here/").status_code == 404


def test_suggestions_prefer_official_and_used_tags(forum_node, member):
    Tag.objects.create(name="Drones", key="drones", thread_count=1)
    Tag.objects.create(name="Drone strikes", key="dronestrikes", thread_count=9)
    Tag.objects.create(name="Drone law", key="dronelaw", is_official=True)
    found = Client().get("/tags/suggest?q=dro").json()["tags"]
    assert [t["name"] for t in found] == ["Drone law", "Drone strikes", "Drones"]
    assert Client().get("/tags/suggest?q=").json() == {"tags": []}


def test_too_many_tag_look_ups_get_a_429_with_no_tags(
    forum_node, member, settings, monkeypatch
):
    from forum.core import ratelimit

    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "tag_suggest": (2, 60)}
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_700_000_040.0)
    Tag.objects.create(name="Drone law", key="dronelaw", is_official=True)
    guest, other = Client(), _client(member)
    for typed in ("d", "dr"):
        assert guest.get(f"/tags/suggest?q={typed}").json()["tags"]
    refused = guest.get("/tags/suggest?q=dro")
    assert refused.status_code == 429
    assert refused.json() == {
        "tags": [],
        "error": "Too many tag look-ups: at most 2 a minute. "
        "Please wait a moment and try again.",
    }
    # A member counts on their own (a guest, on their address).
    assert other.get("/tags/suggest?q=dro").json()["tags"][0]["name"] == "Drone law"


def test_tag_counts_follow_deletes_restores_and_merges_and_agree_with_recount(
    forum_node, member, staff
):
    from forum.moderation.services import structure

    client = _client(member)
    for title in ("One", "Two", "Three"):
        _post_thread(client, forum_node, title=title, body=title * 3, tags="Navy, CPEC")
    one, two, three = Thread.objects.order_by("id")
    navy = Tag.objects.get(key="navy")

    def count():
        navy.refresh_from_db()
        return navy.thread_count

    assert count() == 3
    post_services.delete_thread(actor=staff, thread=one)
    assert count() == 2
    post_services.restore_thread(actor=staff, thread=one)
    assert count() == 3
    structure.merge_threads(actor=staff, source=two, target=three)
    assert count() == 2
    assert counter_drift() == {}
    Tag.objects.update(thread_count=40)
    recount_all()
    assert count() == 2


def test_the_forum_page_filters_by_prefix(forum_node, member, analysis):
    client = _client(member)
    _post_thread(
        client, forum_node, title="Tagged analysis", body="Water", prefix=analysis.pk
    )
    _post_thread(client, forum_node, title="Plain thread", body="Water again")
    url = forum_node.get_absolute_url()
    page = Client().get(f"{url}?prefix={analysis.pk}").content.decode()
    assert "Tagged analysis" in page and "Plain thread" not in page
    search = Client().get(f"/search/?q=water&prefix={analysis.pk}").content.decode()
    assert "Tagged analysis" in search and "Plain thread" not in search
    everything = Client().get("/search/?q=water").content.decode()
    assert "Plain thread" in everything
