"""One visibility rule: every way the code lists posts and threads agrees with the
policy's per-object answer, for every kind of viewer, on a board holding every
kind of hidden content.

The oracle is forum.policy.can_view_post / can_view_thread asked of each row. The
querysets (Post.objects.visible_to, Thread.objects.visible_to), the thread page's
query, the member's raw-SQL slice of a shared page and the jump to the first
unread post must each give exactly the posts it allows; the lists (search, What's
new, profiles) must give exactly the posts everyone may see among them.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser

from forum.discovery.reading import first_unread_post
from forum.moderation.services import community, content
from forum.policy import can_moderate, can_view_post, can_view_thread
from forum.posts import selectors, services
from forum.posts.models import Post
from forum.threads import tag_counts, tagging
from forum.threads.models import Thread
from tests import factories
from tests.moderation.conftest import make_moderator, make_private

VIEWERS = [
    "guest",
    "unverified",
    "author",
    "bystander",
    "banned",
    "forum_moderator",
    "global_moderator",
    "staff",
]


@dataclass
class HiddenBoard:
    viewers: dict
    threads: list
    posts: list


@pytest.fixture
def hidden_board(db, settings):
    settings.FORUM_APPROVAL_POSTS = 0
    category = factories.CategoryFactory(title="Defence")
    public = factories.ForumFactory(title="Army", parent=category)
    moderated = factories.ForumFactory(title="Navy", parent=category)
    private = factories.ForumFactory(title="Staff room", parent=category)
    author = factories.MemberFactory(username="Author")
    bystander = factories.MemberFactory(username="Bystander")
    banned = factories.MemberFactory(username="Banned")
    staff = factories.MemberFactory(username="Admin", is_staff=True)
    viewers = {
        "guest": AnonymousUser(),
        "unverified": factories.MemberFactory(username="Newcomer", verified=False),
        "author": author,
        "bystander": bystander,
        "banned": banned,
        "forum_moderator": make_moderator(
            factories.MemberFactory(username="NavyMod"), moderated
        ),
        "global_moderator": make_moderator(factories.MemberFactory(username="Global")),
        "staff": staff,
    }
    threads = []
    for node in (public, moderated, private):
        plain = factories.make_thread(
            author=author, node=node, replies=3, repliers=[bystander, author]
        )
        posts = list(Post.objects.filter(thread=plain).order_by("position"))
        # A deleted reply, a reply awaiting approval by the author, one by
        # somebody else, and a thread deleted by a moderator.
        content.delete_post(actor=staff, post=posts[1], reason="Off-topic")
        Post.objects.filter(pk=posts[2].pk).update(is_approved=False)
        Post.objects.filter(pk=posts[3].pk).update(is_approved=False)
        deleted = factories.make_thread(author=bystander, node=node, replies=1)
        content.delete_thread(actor=staff, thread=deleted, reason="Spam")
        threads += [plain, deleted]
    # A new thread held for approval, by the author, in the public forum.
    settings.FORUM_APPROVAL_POSTS = 10
    factories.wait_out_flood(author)
    held = services.create_thread(
        author=author, node=public, title="Held back", body="Waiting here."
    ).post.thread
    settings.FORUM_APPROVAL_POSTS = 0
    threads.append(held)
    make_private(private)
    community.ban_member(actor=staff, member=banned, reason="Trolling", days=3)
    return HiddenBoard(
        viewers=viewers,
        threads=list(Thread.objects.select_related("node").order_by("pk")),
        posts=list(
            Post.objects.select_related("thread", "thread__node").order_by("pk")
        ),
    )


def _ids(rows) -> set[int]:
    return {row.pk for row in rows}


@pytest.mark.parametrize("kind", VIEWERS)
def test_the_querysets_allow_exactly_what_the_policy_allows(hidden_board, kind):
    viewer = hidden_board.viewers[kind]

    allowed_posts = {p.pk for p in hidden_board.posts if can_view_post(viewer, p)}
    allowed_threads = {t.pk for t in hidden_board.threads if can_view_thread(viewer, t)}

    assert _ids(Post.objects.visible_to(viewer)) == allowed_posts
    assert _ids(Thread.objects.visible_to(viewer)) == allowed_threads
    # The board really has something hidden from everyone but staff.
    assert len(allowed_posts) < len(hidden_board.posts) or kind in (
        "staff",
        "global_moderator",
    )


@pytest.mark.parametrize("kind", VIEWERS)
def test_the_thread_page_and_the_jump_to_unread_agree(hidden_board, kind):
    viewer = hidden_board.viewers[kind]
    for thread in hidden_board.threads:
        if not can_view_thread(viewer, thread):
            continue
        allowed = {
            p.pk
            for p in hidden_board.posts
            if p.thread_id == thread.pk and can_view_post(viewer, p)
        }

        assert _ids(selectors.thread_posts(viewer, thread, 1)) == allowed
        in_thread = Post.objects.filter(thread=thread)
        assert _ids(in_thread.visible_to(viewer, thread=thread)) == allowed
        first = first_unread_post(viewer, thread)
        assert (first.pk in allowed) if first else not allowed
        if viewer.is_authenticated and not can_moderate(viewer, thread.node):
            # The raw SQL behind a member's slice of a shared page.
            assert _ids(selectors.viewer_posts(viewer, thread, 1)) == allowed


@pytest.mark.parametrize("kind", VIEWERS)
def test_lists_show_what_everyone_may_see_where_the_viewer_may_look(hidden_board, kind):
    viewer = hidden_board.viewers[kind]
    expected = {
        p.pk
        for p in hidden_board.posts
        if can_view_post(viewer, p)
        and not p.is_deleted
        and p.is_approved
        and not p.thread.is_deleted
    }

    assert _ids(Post.objects.listed_for(viewer)) == expected
    # A narrowed search lists the visible posts of these threads by their ids.
    threads = Thread.objects.listed_for(viewer).values_list("pk", flat=True)
    assert _ids(Post.objects.visible().filter(thread_id__in=threads)) == expected


@pytest.mark.parametrize("kind", VIEWERS)
def test_tag_counts_count_the_threads_the_lists_show_the_viewer(hidden_board, kind):
    viewer = hidden_board.viewers[kind]
    for thread in hidden_board.threads:
        names = ["Everywhere", f"Only {thread.node.title}"]
        tagging.set_thread_tags(thread=thread, names=names, by=None)
    expected = {}
    for thread in hidden_board.threads:
        if can_view_thread(viewer, thread) and not thread.is_deleted:
            for name in ("Everywhere", f"Only {thread.node.title}"):
                expected[name] = expected.get(name, 0) + 1

    nodes = tag_counts.audience(viewer)
    cloud = tag_counts.cloud(nodes, limit=10)
    assert {row["name"]: row["thread_count"] for row in cloud} == expected
    found = tag_counts.suggest(viewer, "only") + tag_counts.suggest(viewer, "every")
    assert {s.name: s.threads for s in found} == expected
    index = tag_counts.tag_index(viewer, key="", page=1, per_page=10)
    assert {t.name: t.threads for t in index.tags} == expected


def test_the_board_has_every_kind_of_hidden_post(hidden_board):
    posts = hidden_board.posts
    assert any(p.is_deleted for p in posts)
    assert any(not p.is_approved for p in posts)
    assert any(p.thread.is_deleted and p.thread.deleted_by_id for p in posts)
    assert any(p.thread.is_deleted and not p.thread.deleted_by_id for p in posts)
    assert any(p.thread.node.title == "Staff room" for p in posts)
