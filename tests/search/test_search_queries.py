"""The search page runs the same queries for one result as for twenty."""

import pytest

from tests import factories
from tests.querycount import queries_for

# Measured, then pinned; raise only with a reason. The rate-limit counter in the
# shared cache (the database cache: one read, and a write that costs a cull count,
# a savepoint pair and an upsert = 6), the capped count and the ranked page with
# its snippets (+ session and self for a member), and the two statements that
# set the candidates statement's planner settings and put them back. The
# viewer's forums come from the permission module's cached policy.
SEARCH_BUDGET = {"guest": 8, "member": 10}


@pytest.mark.parametrize("viewer", ["guest", "member"], indirect=True)
def test_search_queries_do_not_grow_with_results(viewer, forum_node):
    kind, client, _ = viewer
    people = [factories.MemberFactory() for _ in range(20)]
    factories.make_thread(author=people[0], node=forum_node, body="Lone frigate.")
    for person in people:
        factories.make_thread(author=person, node=forum_node, body="Busy corvette.")
    client.get("/search/?q=warmup")

    one = queries_for(client, "/search/?q=frigate")
    twenty = queries_for(client, "/search/?q=corvette")

    assert len(twenty) == len(one), "\n".join(twenty)
    assert len(twenty) <= SEARCH_BUDGET[kind], "\n".join(twenty)
