"""The forum index and forum pages run the same queries for 1 row as for 20."""

import pytest

from tests import factories
from tests.querycount import queries_for

# Measured, then pinned. Index: one query for every node with its last thread and
# poster. Forum page: node, its threads with starters, sub-forums, the breadcrumb.
# A member adds session and self, and on the forum page the e-mail check behind
# "Post thread". Raise only with a reason.
INDEX_BUDGET = {"guest": 1, "member": 3}
FORUM_PAGE_BUDGET = {"guest": 4, "member": 7}


@pytest.mark.parametrize("viewer", ["guest", "member"], indirect=True)
def test_forum_page_queries_do_not_grow_with_threads_or_starters(viewer, forum_node):
    kind, client, _ = viewer
    few_node = factories.ForumFactory(title="Quiet", parent=forum_node.parent)
    many_node = factories.ForumFactory(title="Busy", parent=forum_node.parent)
    people = [factories.MemberFactory() for _ in range(21)]
    factories.make_thread(author=people[0], node=few_node, replies=1)
    for starter, last_poster in zip(people[:20], people[1:], strict=True):
        factories.make_thread(
            author=starter, node=many_node, replies=1, repliers=[last_poster]
        )
    client.get(forum_node.get_absolute_url())  # warm-up

    few = queries_for(client, few_node.get_absolute_url())
    many = queries_for(client, many_node.get_absolute_url())

    assert len(many) == len(few), "\n".join(many)
    assert len(many) <= FORUM_PAGE_BUDGET[kind], "\n".join(many)


@pytest.mark.parametrize("viewer", ["guest", "member"], indirect=True)
def test_forum_index_queries_do_not_grow_with_forums(viewer, forum_node):
    kind, client, _ = viewer
    people = [factories.MemberFactory() for _ in range(21)]
    factories.make_thread(author=people[0], node=forum_node, replies=1)
    client.get("/")  # warm-up
    few = queries_for(client, "/")

    category = factories.CategoryFactory(title="World")
    for n in range(19):
        node = factories.ForumFactory(title=f"Region {n}", parent=category)
        factories.ForumFactory(title=f"Region {n} archive", parent=node)
        factories.make_thread(
            author=people[n], node=node, replies=1, repliers=[people[n + 1]]
        )
    many = queries_for(client, "/")

    assert len(many) == len(few), "\n".join(many)
    assert len(many) <= INDEX_BUDGET[kind], "\n".join(many)
