"""Query budgets of the pages the composer changed or added: they do not grow
with the attachments, options or posts shown."""

import pytest
from django.test import Client

from forum.posts import places
from forum.posts.polls import services as polls
from forum.posts.uploads import services as uploads
from tests import factories
from tests.composer.helpers import png, upload
from tests.querycount import queries_for

# A thread page with a poll and pictures. Guest (7): the thread page's 4, the
# poll and its options (2), the page's attachments (1). A member rereading the
# shared render (6): session, self, their slice of the page (which says whether
# they have a draft), and for their part of the poll the poll, its options and
# their votes. Raise only with a reason.
POLL_PAGE_BUDGET = {"guest": 7, "member": 6}
# The full reply page (8): session, self, the thread, its forum for the
# breadcrumb, the draft, the uploads waiting, the latest posts, and the quoted
# posts when there are any; the same for a long thread.
REPLY_PAGE_BUDGET = 8
HELP_PAGE_BUDGET = 0


def _thread(node, files: int, options: int):
    author = factories.MemberFactory()
    type(author).objects.filter(pk=author.pk).update(message_count=50)
    author.refresh_from_db()
    thread = factories.make_thread(author=author, node=node, replies=3)
    polls.create_poll(
        actor=author,
        thread=thread,
        spec=polls.PollSpec(
            question="Q?", options=[f"Option {i}" for i in range(options)]
        ),
    )
    place = places.resolve(author, places.for_thread(thread))
    for i in range(files):
        uploads.store_upload(
            owner=author,
            place=place,
            upload=upload(f"p{i}.png", png((50, 50))),
            enforce_limits=False,
        )
    factories.wait_out_flood(author)
    factories.reply(author=author, thread=thread)
    from forum.posts.models import Attachment, Post

    post = Post.objects.filter(thread=thread).order_by("-position").first()
    Attachment.objects.filter(owner=author, post=None).update(post=post, place="")
    Post.objects.filter(pk=post.pk).update(attachment_count=files)
    thread.refresh_from_db()
    return thread


@pytest.mark.parametrize("kind", ["guest", "member"])
def test_a_thread_page_with_a_poll_and_pictures_has_a_fixed_budget(
    kind, forum_node, media_root
):
    few = _thread(forum_node, files=1, options=2)
    many = _thread(forum_node, files=6, options=12)
    client = Client()
    if kind == "member":
        client.force_login(factories.MemberFactory())
        warm = Client()
        warm.force_login(factories.MemberFactory())
        for thread in (few, many):
            warm.get(thread.get_absolute_url())  # makes the shared render
            client.get(thread.get_absolute_url())  # marks it read
    else:
        client.get(
            factories.make_thread(
                author=factories.MemberFactory(), node=forum_node
            ).get_absolute_url()
        )

    small = queries_for(client, few.get_absolute_url())
    large = queries_for(client, many.get_absolute_url())

    assert len(large) == len(small), "\n".join(large)
    assert len(large) <= POLL_PAGE_BUDGET[kind], "\n".join(large)


def test_the_reply_page_has_a_fixed_budget(member_client, forum_node, media_root):
    short = factories.make_thread(author=factories.MemberFactory(), node=forum_node)
    long = factories.make_thread(
        author=factories.MemberFactory(), node=forum_node, replies=30
    )
    member_client.get(short.get_reply_url())
    few = queries_for(member_client, short.get_reply_url())
    many = queries_for(member_client, long.get_reply_url() + "?quote=1&quote=2")
    assert len(many) <= REPLY_PAGE_BUDGET, "\n".join(many)
    assert len(few) <= REPLY_PAGE_BUDGET, "\n".join(few)


def test_the_help_page_runs_no_query_for_guests(client, db):
    client.get("/help/bbcode")
    assert len(queries_for(client, "/help/bbcode")) == HELP_PAGE_BUDGET
