"""The oracle for shared renders: for every page that has one and every kind of
viewer, the page served from the shared render (whoever's visit made it) is, byte
for byte once the CSRF tokens are set aside, the page rendered for that viewer
alone. Guests are held to the same standard against the guest page cache.

Viewers: a guest, a new member (e-mail not confirmed), a member who reacted to a
post (with a draft of a reply), a member who voted in the thread's poll, the
author of posts on the page (who started the thread: they may close its poll), a
member who ignores an author on the page, a member in another time zone, a
member with unread alerts (one about a post on the thread page, which reading it
reads) who watches the thread, a member who bookmarked posts on the page (with a
note and labels), a moderator of the forum, a banned member, and staff.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from forum.bookmarks import services as bookmarks
from forum.conversations import services as conversations
from forum.core import timefmt
from forum.discovery.models import SidebarWidget
from forum.moderation.services import community
from forum.notifications.services import Kind, notify, watch_thread
from forum.posts.drafts.services import save_draft
from forum.posts.models import Post
from forum.posts.polls import services as polls
from forum.threads import tagging
from tests import factories
from tests.moderation.conftest import make_moderator, make_private, set_permissions

KINDS = [
    "guest",
    "new_member",
    "reacted",
    "voted",
    "author",
    "ignoring",
    "elsewhere",
    "alerted",
    "bookmarked",
    "moderator",
    "banned",
    "staff",
]
NOW = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _commits(django_capture_on_commit_callbacks, monkeypatch):
    """What a request's writes bump happens when it ends, as in production (a
    member's visit moves their "last seen": their profile is made afresh)."""
    global _capture
    _capture = django_capture_on_commit_callbacks
    yield
    _capture = None


_capture = None


@pytest.fixture
def frozen(monkeypatch):
    """Every page of the test is read at the same moment."""
    monkeypatch.setattr(timefmt, "now", lambda: NOW)


@pytest.fixture
def board(db, frozen, forum_node, reaction_types, settings):
    people = {
        "author": factories.MemberFactory(username="Desert Hawk"),
        "reacted": factories.MemberFactory(username="Saleem"),
        "voted": factories.MemberFactory(username="Pollster"),
        "ignoring": factories.MemberFactory(username="Windjammer"),
        "elsewhere": factories.MemberFactory(
            username="Maple", time_zone="Asia/Karachi"
        ),
        "new_member": factories.MemberFactory(username="Newcomer", verified=False),
        "alerted": factories.MemberFactory(username="Hawkeye"),
        "bookmarked": factories.MemberFactory(username="Keeper"),
        "moderator": make_moderator(
            factories.MemberFactory(username="Mod"), forum_node
        ),
        "banned": factories.MemberFactory(username="Troll"),
        "staff": factories.MemberFactory(username="Admin", is_staff=True),
        "other": factories.MemberFactory(username="Ayesha R."),
    }
    thread = factories.make_thread(
        author=people["author"],
        node=forum_node,
        title="Border talks",
        replies=6,
        repliers=[people["other"], people["author"], people["reacted"]],
    )
    # Times that read differently in Karachi (the next day there) and here.
    Post.objects.filter(thread=thread).update(
        created_at=NOW - timedelta(hours=2, minutes=10)
    )
    Post.objects.filter(thread=thread, position=2).update(
        created_at=NOW - timedelta(minutes=7)
    )
    posts = list(Post.objects.filter(thread=thread).order_by("position"))
    factories.react(
        user=people["reacted"], post=posts[0], reaction_type=reaction_types["Like"]
    )
    factories.react(
        user=people["other"], post=posts[0], reaction_type=reaction_types["Love"]
    )
    # Unread alerts in the header of every page, one of them about a post on the
    # thread page (read by reading it); and Watch shown as Watching.
    alerted = people["alerted"]
    watch_thread(user=alerted, thread=thread, email=True)
    for text in ("Your report was handled.", "Welcome!"):
        notify(user=alerted, kind=Kind.MODERATION, text=text)
    notify(user=alerted, kind=Kind.REPLY, actor=people["other"], post=posts[3])
    poll = polls.create_poll(
        actor=people["author"],
        thread=thread,
        spec=polls.PollSpec(
            question="Will they agree?", options=["Yes", "No", "Later"], results="voted"
        ),
    )
    polls.vote(
        voter=people["voted"],
        poll=poll,
        option_ids=[poll.options.get(text="Later").pk],
        enforce_limits=False,
    )
    # Bookmarks: Keeper's own, with a note; the author sees how many (not who).
    for post, note in ((posts[0], "Read again <later>"), (posts[2], "")):
        bookmarks.add_bookmark(
            user=people["bookmarked"], post=post, note=note, labels=["Talks"]
        )
    save_draft(
        owner=people["reacted"], place=f"thread:{thread.pk}", body="Half a reply"
    )
    people["ignoring"].ignored_members = [people["other"].pk]
    people["ignoring"].followed_members = [people["author"].pk]
    people["ignoring"].save(update_fields=["ignored_members", "followed_members"])
    # An unread conversation (and its alert): the count in the header.
    conversations.start_conversation(
        starter=people["other"],
        title="A word in private",
        recipients=[people["voted"]],
        body="About the border talks.",
    )
    community.ban_member(
        actor=people["staff"], member=people["banned"], reason="Trolling", days=2
    )
    # A tag cloud beside the index and the thread page: its counts are those of
    # the threads each viewer may see (a forum for members, a staff room).
    SidebarWidget.objects.create(kind=SidebarWidget.Kind.TAGS, show_on_forums=True)
    lounge = factories.ForumFactory(title="Lounge", parent=forum_node.parent)
    set_permissions(lounge, "guest", can_view=False)
    staff_room = factories.ForumFactory(title="Staff room", parent=forum_node.parent)
    make_private(staff_room)
    tagging.set_thread_tags(thread=thread, names=["Talks"], by=people["author"])
    for node, names in ((lounge, ["Talks", "Mess"]), (staff_room, ["Talks", "Coup"])):
        tagged = factories.make_thread(author=people["staff"], node=node)
        tagging.set_thread_tags(thread=tagged, names=names, by=people["staff"])
    thread.refresh_from_db()
    return thread, people


def _client(people, kind) -> Client:
    """One signed-in client per viewer (signing in writes; reading does not)."""
    clients = people.setdefault("_clients", {})
    if kind not in clients:
        client = Client()
        if kind != "guest":
            client.force_login(people[kind])
        clients[kind] = client
    return clients[kind]


_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')


def _page(client, url) -> tuple[str, str]:
    with _capture(execute=True):
        response = client.get(url)
    assert response.status_code == 200, url
    html = _TOKEN.sub(r"\1TOKEN\2", response.content.decode())
    return html, response.get("X-Page-Cache", "")


def _alone(people, kind, url, settings) -> str:
    """The page rendered for this viewer alone: no shared render, no cache."""
    settings.FORUM_MEMBER_CACHE_SECONDS = 0
    settings.FORUM_GUEST_CACHE_SECONDS = 0
    try:
        return _page(_client(people, kind), url)[0]
    finally:
        settings.FORUM_MEMBER_CACHE_SECONDS = 60
        settings.FORUM_GUEST_CACHE_SECONDS = 60


def _first_difference(a: str, b: str) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), None)
    at = min(len(a), len(b)) if at is None else at
    start = max(0, at - 200)
    return f"shared: ...{a[start : at + 200]!r}\nalone: ...{b[start : at + 200]!r}"


def _pages(thread, people):
    return {
        "a profile": people["author"].get_absolute_url(),
        "a profile of someone ignored": people["other"].get_absolute_url(),
        "thread page": thread.get_absolute_url(),
        "forum page": thread.node.get_absolute_url(),
        "forum page sorted by title": thread.node.get_absolute_url() + "?sort=title",
        "forum index": "/",
        "what's new: new threads": "/whats-new/threads/",
        "what's new: latest activity": "/whats-new/latest-activity/",
        "what's new: new posts": "/whats-new/posts/",
        "what's new: unread only": "/whats-new/posts/?unread=1",
        "search results": "/search/?q=border",
    }


def _forget_renders():
    """Start again with no shared render or cached page (versions stay)."""
    from django.core.cache import caches

    from forum.core import pagecache

    caches["pages"].clear()
    pagecache.forget_local()


@pytest.mark.parametrize(
    "name",
    [
        "thread page",
        "forum page",
        "forum page sorted by title",
        "forum index",
        "what's new: new threads",
        "what's new: latest activity",
        "what's new: new posts",
        "what's new: unread only",
        "search results",
        "a profile",
        "a profile of someone ignored",
    ],
)
def test_every_viewer_sees_their_own_page_whoever_made_the_shared_render(
    board, settings, name
):
    thread, people = board
    url = _pages(thread, people)[name]
    for kind in KINDS:  # the first visits: read markers and "last seen" move
        _page(_client(people, kind), url)
    alone = {kind: _alone(people, kind, url, settings) for kind in KINDS}
    for warmer in KINDS:
        _forget_renders()
        _page(_client(people, warmer), url)  # this visit makes the shared render
        for kind in KINDS:
            served, how = _page(_client(people, kind), url)
            assert served == alone[kind], (
                f"{name}, made by {warmer}, served to {kind} ({how}):\n"
                + _first_difference(served, alone[kind])
            )


def test_members_are_served_the_shared_render_where_they_may_be(board, settings):
    thread, people = board
    url = thread.get_absolute_url()
    _page(_client(people, "other"), url)

    pages = {kind: _page(_client(people, kind), url) for kind in KINDS}
    served = {kind: how for kind, (_, how) in pages.items()}

    # What differs is there: each reads the times in their own zone, the member
    # who ignores Ayesha R. finds her posts collapsed, Saleem sees "You".
    assert "Today at 21:20" in pages["reacted"][0]
    assert "Today at 02:20" in pages["elsewhere"][0]  # Karachi: past midnight
    assert "Today at 21:20" not in pages["elsewhere"][0]
    assert "You are ignoring content by this member" in pages["ignoring"][0]
    assert "You are ignoring" not in pages["reacted"][0]
    assert "You, " in pages["reacted"][0] or "You and" in pages["reacted"][0]
    assert "You and" not in pages["author"][0]
    # The header counts the member's unread alerts (the one about this page's
    # post is read by reading it); they watch the thread.
    assert 'aria-label="Alerts, 2 unread"' in pages["alerted"][0]
    assert '<span class="badge" aria-hidden="true">2</span>' in pages["alerted"][0]
    assert "Watching (with e-mail)" in pages["alerted"][0]
    assert 'aria-label="Conversations, 1 unread"' in pages["voted"][0]
    assert 'aria-label="Conversations, ' not in pages["elsewhere"][0]
    # Follow and Ignore on the author card, as each viewer stands.
    assert ">Unfollow<" in pages["ignoring"][0]
    assert ">Unfollow<" not in pages["elsewhere"][0]
    assert ">Follow<" in pages["elsewhere"][0]
    assert "badge" not in pages["elsewhere"][0]
    assert (
        "Watching" not in pages["elsewhere"][0] and ">Watch<" in pages["elsewhere"][0]
    )
    # Keeper sees their bookmarks and note; the author how many bookmarked
    # their post, and nobody else does.
    assert "Read again &lt;later&gt;" in pages["bookmarked"][0]
    assert pages["bookmarked"][0].count(">Bookmarked</summary>") == 2
    assert "Read again" not in pages["author"][0]
    assert "Bookmarked by 1 member" in pages["author"][0]
    assert "Bookmarked by" not in pages["bookmarked"][0]
    assert "Bookmarked by" not in pages["elsewhere"][0]
    # The voter sees their vote and the results; the others the form only.
    assert "(your vote)" in pages["voted"][0]
    assert "Half a reply" in pages["reacted"][0]  # their draft, in the reply box
    assert "Half a reply" not in pages["voted"][0]
    assert "Results are shown after you vote" in pages["reacted"][0]
    assert "Close the poll" in pages["author"][0]
    assert "Close the poll" not in pages["voted"][0]
    # Members whose page differs as a whole get their own; everyone else shares.
    kinds = ("reacted", "voted", "author", "ignoring", "elsewhere", "alerted")
    for kind in (*kinds, "bookmarked"):
        assert served[kind] == "member-hit", (kind, served)
    for kind in ("moderator", "banned", "staff"):
        assert served[kind] == "", (kind, served)
    assert served["guest"] in ("hit", "miss")


def test_the_oracle_sees_a_part_left_undeclared(board, settings, monkeypatch):
    """If a template showed a member's name outside a part, the shared render
    could not be made for nobody in particular: the strict mode says so."""
    from forum.core import perviewer

    thread, people = board
    original = perviewer.SharedPage._make

    def leaky(self, request, representative):
        return original(self, request, request.user)  # the viewer, not nobody

    monkeypatch.setattr(perviewer.SharedPage, "_make", leaky)
    _page(_client(people, "reacted"), thread.get_absolute_url())  # Saleem's render
    served = _page(_client(people, "elsewhere"), thread.get_absolute_url())[0]
    alone = _alone(people, "elsewhere", thread.get_absolute_url(), settings)
    assert served != alone  # the test above would catch such a render


def test_a_part_nobody_fills_yields_the_viewers_own_page(board, settings, monkeypatch):
    """Fail closed: a slot without a filler is never filled with what the shared
    render holds; the viewer gets a page rendered for them alone (and in strict
    mode, the error)."""
    from forum.core.perviewer import CannotFill
    from forum.posts import pages

    thread, people = board
    url = thread.get_absolute_url()
    declared = pages._parts

    def without_controls(*args, **kwargs):
        parts = declared(*args, **kwargs)
        parts.pop("post")
        return parts

    monkeypatch.setattr(pages, "_parts", without_controls)
    settings.FORUM_STRICT_PARTS = False
    _page(_client(people, "other"), url)

    served, how = _page(_client(people, "author"), url)

    assert how == ""  # not from the shared render
    assert served == _alone(people, "author", url, settings)
    assert f"/posts/{thread.first_post_id}/edit" in served  # their own controls
    settings.FORUM_STRICT_PARTS = True
    with pytest.raises(CannotFill):
        _client(people, "author").get(url)


def test_the_tag_cloud_of_a_shared_render_counts_what_its_role_may_see(board):
    thread, people = board
    cloud = re.compile(r"tag-cloud__tag[^>]*>([^<]*)<span[^>]*> \((\d+) threads")
    seen = {}
    for kind in ("guest", "other", "reacted", "staff"):
        html, how = _page(_client(people, kind), thread.get_absolute_url())
        seen[kind] = dict(cloud.findall(html))
        seen[kind + " served"] = how
    assert seen["guest"] == {"Talks": "1"}
    assert seen["other"] == seen["reacted"] == {"Mess": "1", "Talks": "2"}
    assert seen["reacted served"] == "member-hit"
    assert seen["staff"] == {"Coup": "1", "Mess": "1", "Talks": "3"}
