"""The thread page's query count does not grow with the posts it shows."""

import pytest
from django.test import Client

from forum.posts import services
from tests import factories
from tests.querycount import queries_for

# Measured on a first visit with the title ladder cached, then pinned. Guest (4):
# thread, posts with authors, breadcrumb, the picture for the page's preview card
# (view counts gather in memory: no query). A member (8) adds session, self, their
# slice of the posts (own reactions, read marker) and the read marker's write; the
# e-mail check and reaction types are cached; the member's slice also says
# whether they have a draft of a reply (none: no query). Staff (8) get no shared
# render: no slice, but deleted posts with who deleted them in the posts query,
# and one query for their draft of a reply. Raise only with a reason.
THREAD_PAGE_BUDGET = {"guest": 4, "member": 8, "staff": 8}


@pytest.mark.parametrize("viewer", ["guest", "member", "staff"], indirect=True)
def test_thread_page_queries_do_not_grow_with_posts_or_authors(viewer, forum_node):
    kind, client, user = viewer
    # Twenty different authors, the viewer among them when signed in (their own
    # posts carry Edit and Delete links, the others' Quote and React).
    authors = [factories.MemberFactory() for _ in range(19)]
    authors.append(user or factories.MemberFactory())
    warm_up = factories.make_thread(author=authors[0], node=forum_node)
    one_post = factories.make_thread(author=authors[0], node=forum_node)
    twenty_posts = factories.make_thread(
        author=authors[0], node=forum_node, replies=19, repliers=authors[1:]
    )
    if kind == "staff":  # deleted posts stay on the page, marked, for staff
        for position in (3, 7, 11):
            services.delete_post(
                actor=authors[1], post=twenty_posts.posts.get(position=position)
            )
    # The first page view of all fills caches (the title ladder) that stay warm.
    client.get(warm_up.get_absolute_url())

    few = queries_for(client, one_post.get_absolute_url())
    many = queries_for(client, twenty_posts.get_absolute_url())

    assert len(many) == len(few), "\n".join(many)
    assert len(many) <= THREAD_PAGE_BUDGET[kind], "\n".join(many)


# A member served the shared render of a page another member has seen (the usual
# case on a busy thread), rereading it: session, self, their slice of the posts
# (own reactions, read marker), and one query for the posts whose controls differ
# for them (here their own and the five they reacted to). The thread row is this
# process's copy. No write: the read marker is already there. Raise only with a
# reason.
SHARED_REREAD_BUDGET = 4


def test_a_member_rereading_a_shared_page_runs_few_queries_and_writes_nothing(
    forum_node, reaction_types
):
    authors = [factories.MemberFactory() for _ in range(20)]
    thread = factories.make_thread(
        author=authors[0], node=forum_node, replies=19, repliers=authors[1:]
    )
    for post in thread.posts.exclude(author=authors[-1])[:5]:
        factories.react(
            user=authors[-1], post=post, reaction_type=reaction_types["Like"]
        )
    first, reader = Client(), Client()
    first.force_login(authors[3])
    reader.force_login(authors[-1])
    first.get(thread.get_absolute_url())
    reader.get(thread.get_absolute_url())  # marks the page read

    queries = queries_for(reader, thread.get_absolute_url())

    writes = [q for q in queries if q.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert writes == []
    assert len(queries) <= SHARED_REREAD_BUDGET, "\n".join(queries)
    # A member with nothing of their own on the page: the shared controls fit.
    lurker = Client()
    lurker.force_login(factories.MemberFactory())
    lurker.get(thread.get_absolute_url())
    plain = queries_for(lurker, thread.get_absolute_url())
    assert len(plain) <= SHARED_REREAD_BUDGET - 1, "\n".join(plain)
