"""What a viewer learns of tags follows the one visibility rule: a tag used only
in a forum they may not see is never named to them, and every count they are
shown counts only the threads they may see (the tag cloud, the suggestions of
the tag field, the tag page, the tags index)."""

import re

import pytest
from django.test import Client

from forum.discovery.models import SidebarWidget
from forum.posts import services as post_services
from forum.threads import tagging
from forum.threads.models import Tag
from tests import factories
from tests.moderation.conftest import make_private, set_permissions


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _tagged(node, author, title, *names):
    thread = factories.make_thread(author=author, node=node, title=title)
    tagging.set_thread_tags(thread=thread, names=list(names), by=author)
    return thread


@pytest.fixture
def board(forum_node, member, staff):
    """A public forum, a staff room nobody else may see and a forum for members
    only; "Navy" is used in all three, "Coup plans" only in the staff room,
    "Mess rota" only among members."""
    staff_room = factories.ForumFactory(title="Staff room", parent=forum_node.parent)
    members_only = factories.ForumFactory(title="Lounge", parent=forum_node.parent)
    make_private(staff_room)
    set_permissions(members_only, "guest", can_view=False)
    _tagged(forum_node, member, "Open thread", "Navy")
    _tagged(staff_room, staff, "Staff thread", "Navy", "Coup plans")
    _tagged(staff_room, staff, "Second staff thread", "Navy", "Coup plans")
    _tagged(members_only, member, "Lounge thread", "Navy", "Mess rota")
    return staff_room


def _cloud(html: str) -> dict[str, int]:
    """The tag cloud's tags and the counts it tells screen readers."""
    found = re.findall(
        r'class="tag-cloud__tag[^"]*" href="[^"]*">([^<]*)<span class="visually-'
        r'hidden"> \((\d+) threads\)',
        html,
    )
    return {name: int(n) for name, n in found}


def test_the_tag_cloud_counts_only_threads_the_viewer_may_see(board, member, staff):
    SidebarWidget.objects.create(kind=SidebarWidget.Kind.TAGS, title="Tags")

    guest = _client().get("/").content.decode()
    assert _cloud(guest) == {"Navy": 1}
    assert "Coup plans" not in guest and "Mess rota" not in guest
    # Members get the shared render of their role: its cloud is theirs.
    first = _client(member).get("/")
    assert _cloud(first.content.decode()) == {"Navy": 2, "Mess rota": 1}
    other = factories.MemberFactory(username="Second")
    again = _client(other).get("/")
    assert again["X-Page-Cache"] == "member-hit"
    assert _cloud(again.content.decode()) == {"Navy": 2, "Mess rota": 1}
    assert _cloud(_client(staff).get("/").content.decode()) == {
        "Coup plans": 2,
        "Mess rota": 1,
        "Navy": 4,
    }
    # The guest's copy stays the guest's once the members' clouds are kept.
    assert _cloud(_client().get("/").content.decode()) == {"Navy": 1}


def test_the_cloud_links_to_the_tags_index(board):
    SidebarWidget.objects.create(kind=SidebarWidget.Kind.TAGS)
    page = _client().get("/").content.decode()
    assert '<a href="/tags/">All tags</a>' in page


def test_suggestions_never_offer_a_tag_the_viewer_has_no_thread_under(
    board, member, staff
):
    def suggested(client, typed):
        found = client.get(f"/tags/suggest?q={typed}").json()["tags"]
        return {t["name"]: t["threads"] for t in found}

    assert suggested(_client(), "coup") == {}
    assert suggested(_client(member), "coup") == {}
    assert suggested(_client(staff), "coup") == {"Coup plans": 2}
    assert suggested(_client(), "nav") == {"Navy": 1}
    assert suggested(_client(member), "nav") == {"Navy": 2}
    assert suggested(_client(member), "mess") == {"Mess rota": 1}
    assert suggested(_client(), "mess") == {}


def test_an_official_tag_is_suggested_without_threads_to_see(board, member):
    Tag.objects.filter(key="coupplans").update(is_official=True)
    Tag.objects.create(name="Coastguard", key="coastguard", is_official=True)
    found = _client(member).get("/tags/suggest?q=co").json()["tags"]
    assert [(t["name"], t["threads"]) for t in found] == [
        ("Coastguard", 0),
        ("Coup plans", 0),
    ]


def test_a_synonym_suggests_its_tag_with_the_viewers_count(board, member):
    navy = Tag.objects.get(key="navy")
    Tag.objects.create(name="Naval forces", key="navalforces", synonym_of=navy)
    found = _client().get("/tags/suggest?q=naval").json()["tags"]
    assert found == [{"name": "Navy", "key": "navy", "official": False, "threads": 1}]


def test_a_tag_with_no_thread_the_viewer_may_see_is_no_tag_to_them(
    board, member, staff
):
    assert _client().get("/tags/coupplans/").status_code == 404
    assert _client(member).get("/tags/coupplans/").status_code == 404
    assert _client().get("/tags/messrota/").status_code == 404
    assert _client(member).get("/tags/messrota/").status_code == 200
    page = _client(staff).get("/tags/coupplans/").content.decode()
    assert "2 threads" in page and "Staff thread" in page
    navy = _client().get("/tags/navy/").content.decode()
    assert 'class="page-desc">1 thread' in navy and "Staff thread" not in navy


def test_an_official_tag_page_tells_no_count_of_threads_the_viewer_cannot_see(
    board, member
):
    Tag.objects.filter(key="coupplans").update(is_official=True)
    page = _client(member).get("/tags/coupplans/").content.decode()
    assert "No threads you can see carry this tag." in page
    assert "2 thread" not in page and "0 thread" not in page


def test_deleted_threads_leave_the_counts(board, member, staff):
    SidebarWidget.objects.create(kind=SidebarWidget.Kind.TAGS)
    thread = _tagged(board.parent.children.get(title="Pakistan Defence"), member,
                     "Soon gone", "Navy")  # fmt: skip
    post_services.delete_thread(actor=staff, thread=thread)
    assert _cloud(_client().get("/").content.decode()) == {"Navy": 1}
    found = _client(staff).get("/tags/suggest?q=navy").json()["tags"]
    assert found[0]["threads"] == 4


def test_a_tag_the_member_may_not_know_of_cannot_be_watched(board, member, staff):
    assert _client(member).get("/tags/coupplans/watch").status_code == 404
    assert _client(member).post("/tags/coupplans/watch").status_code == 404
    assert _client(member).get("/tags/messrota/watch").status_code == 200
    assert "Coup plans" in _client(staff).get("/tags/coupplans/watch").text


def test_a_tag_no_thread_carries_yet_may_be_opened_and_watched(board, member):
    Tag.objects.create(name="Submarines", key="submarines")
    page = _client().get("/tags/submarines/").content.decode()
    assert "No threads you can see carry this tag." in page
    assert _client(member).get("/tags/submarines/watch").status_code == 200
