"""Bookmarks: a member keeps posts with a note and labels; the thread page shows
their bookmarks, and an author how many bookmarked each of their posts."""

import pytest
from django.test import Client

from forum.bookmarks import services
from forum.bookmarks.models import Bookmark
from forum.posts.models import Post
from tests import factories
from tests.querycount import queries_for


@pytest.fixture
def thread(forum_node, member, other_member):
    return factories.make_thread(
        author=other_member, node=forum_node, title="JF-17 block III", replies=3
    )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_bookmarking_without_script_keeps_the_note_and_labels(thread, member):
    client = _client(member)
    post = Post.objects.get(thread=thread, position=1)

    response = client.post(f"/posts/{post.pk}/bookmark")
    assert response.status_code == 302
    bookmark = Bookmark.objects.get(user=member, post=post)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f'action="/account/bookmarks/{bookmark.pk}/edit"' in page
    assert ">Bookmarked</summary>" in page

    client.post(
        f"/account/bookmarks/{bookmark.pk}/edit",
        {"note": "Radar details <here>", "labels": "Aircraft, radar , aircraft"},
    )
    bookmark.refresh_from_db()
    assert bookmark.note == "Radar details <here>"
    assert bookmark.labels == ["Aircraft", "radar"]
    listing = client.get("/account/bookmarks").content.decode()
    assert "Radar details &lt;here&gt;" in listing
    assert "JF-17 block III" in listing


def test_a_script_gets_the_new_control(thread, member):
    post = Post.objects.get(thread=thread, position=0)
    response = _client(member).post(
        f"/posts/{post.pk}/bookmark", HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    data = response.json()
    assert data["post"] == post.pk
    assert ">Bookmarked</summary>" in data["control"]


def test_the_author_sees_how_many_bookmarked_their_post_and_nobody_else_does(
    thread, member, other_member
):
    post = Post.objects.get(thread=thread, position=0)
    for user in (member, factories.MemberFactory()):
        services.add_bookmark(user=user, post=post)

    mine = _client(other_member).get(thread.get_absolute_url()).content.decode()
    theirs = _client(member).get(thread.get_absolute_url()).content.decode()

    assert "Bookmarked by 2 members" in mine
    assert "Bookmarked by" not in theirs
    assert member.username not in mine  # how many, not who


def test_the_page_filters_by_label_and_removes(thread, member):
    posts = list(Post.objects.filter(thread=thread).order_by("position"))
    services.add_bookmark(user=member, post=posts[0], labels=["Reading"])
    services.add_bookmark(user=member, post=posts[1], note="second one")
    client = _client(member)

    labelled = client.get("/account/bookmarks?label=Reading").content.decode()
    assert "1 bookmark labelled “Reading”" in labelled
    assert "second one" not in labelled

    other = Bookmark.objects.get(post=posts[1])
    client.post(f"/account/bookmarks/{other.pk}/remove", {"next": "/account/bookmarks"})
    assert not Bookmark.objects.filter(pk=other.pk).exists()


def test_nobody_bookmarks_what_they_cannot_see_or_edits_anothers(
    thread, member, other_member, forum_node
):
    hidden = factories.make_thread(author=other_member, node=forum_node)
    post = hidden.posts.get(position=0)
    post.is_approved = False
    post.save(update_fields=["is_approved"])
    assert _client(member).post(f"/posts/{post.pk}/bookmark").status_code == 404

    theirs = services.add_bookmark(
        user=other_member, post=Post.objects.get(thread=thread, position=0)
    )
    response = _client(member).post(
        f"/account/bookmarks/{theirs.pk}/edit", {"note": "mine now"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.note == ""


def test_a_bookmark_of_a_post_no_longer_visible_leaves_the_page(thread, member):
    post = Post.objects.get(thread=thread, position=2)
    services.add_bookmark(user=member, post=post, note="gone soon")
    Post.objects.filter(pk=post.pk).update(is_deleted=True)
    assert "gone soon" not in _client(member).get("/account/bookmarks").content.decode()


# The bookmarks page: session, self, the labels, the count and the page (posts,
# threads, forums and authors joined). Raise only with a reason.
BOOKMARKS_PAGE_BUDGET = 5


def test_the_bookmarks_page_queries_do_not_grow_with_bookmarks(forum_node, member):
    client = _client(member)
    author = factories.MemberFactory()
    first = factories.make_thread(author=author, node=forum_node, replies=1)
    services.add_bookmark(user=member, post=first.posts.get(position=0))
    client.get("/account/bookmarks")
    one = queries_for(client, "/account/bookmarks")
    for _ in range(5):
        thread = factories.make_thread(
            author=factories.MemberFactory(), node=forum_node, replies=2
        )
        for post in thread.posts.all():
            services.add_bookmark(user=member, post=post, labels=["a", "b"])
    many = queries_for(client, "/account/bookmarks")
    assert len(many) == len(one), "\n".join(many)
    assert len(many) <= BOOKMARKS_PAGE_BUDGET, "\n".join(many)


def test_bookmarks_on_a_thread_page_cost_no_query(forum_node, member):
    """Read with the member's slice of the page (viewer facts): the same count
    with no bookmark and with one on every post."""
    author = factories.MemberFactory()
    thread = factories.make_thread(author=author, node=forum_node, replies=9)
    client = _client(member)
    client.get(thread.get_absolute_url())
    before = queries_for(client, thread.get_absolute_url())
    for post in thread.posts.all():
        services.add_bookmark(user=member, post=post, note="n", labels=["x"])
    after = queries_for(client, thread.get_absolute_url())
    assert len(after) == len(before), "\n".join(after)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert html.count(">Bookmarked</summary>") == 10


def test_a_merge_keeps_the_bookmarks_and_recount_moves_them_along(
    forum_node, member, staff
):
    from io import StringIO

    from django.core.management import call_command

    from forum.moderation.services.structure import merge_threads

    author = factories.MemberFactory()
    source = factories.make_thread(author=author, node=forum_node, replies=1)
    target = factories.make_thread(author=author, node=forum_node, replies=1)
    post = source.posts.get(position=1)
    services.add_bookmark(user=member, post=post, note="keep me")

    merge_threads(actor=staff, source=source, target=target)
    assert Bookmark.objects.get(post=post).note == "keep me"
    call_command("recount", stdout=StringIO())

    assert Bookmark.objects.get(post=post).thread_id == target.pk
    html = _client(member).get(target.get_absolute_url()).content.decode()
    assert f'action="/account/bookmarks/{Bookmark.objects.get().pk}/edit"' in html
