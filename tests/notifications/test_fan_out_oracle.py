"""The fan-out's recipients, one statement for every watcher, held to the policy
asked of each watcher alone: those who may see the post (forum.policy
can_view_post), are active, did not write it, and do not ignore its writer."""

import pytest

from forum.moderation.services import community
from forum.notifications.models import Alert
from forum.policy import can_view_post, ignores
from tests import factories
from tests.moderation.conftest import make_moderator, set_permissions
from tests.notifications.conftest import watch

FORUMS = {
    "public": {},
    "members only": {"unverified": False},
    "verified only and guests": {"unverified": False, "guest": True},
    "private": {"member": False, "unverified": False},
    "unverified only": {"member": False},
}


def _restrict(node, rules):
    for role, view in rules.items():
        set_permissions(node, role, can_view=view)


@pytest.fixture
def people(db, staff):
    author = factories.MemberFactory(username="Author")
    found = {
        "member": factories.MemberFactory(),
        "unverified": factories.MemberFactory(verified=False),
        "staff": staff,
        "global moderator": make_moderator(factories.MemberFactory()),
        "banned": factories.MemberFactory(),
        "inactive": factories.MemberFactory(is_active=False),
        "ignoring": factories.MemberFactory(ignored_members=[author.pk]),
        "ignoring someone else": factories.MemberFactory(ignored_members=[staff.pk]),
    }
    community.ban_member(actor=staff, member=found["banned"], reason="x", days=3)
    return author, found


@pytest.mark.parametrize("forum", FORUMS)
def test_the_fan_out_alerts_exactly_the_watchers_the_policy_lets_see_it(
    people, forum, committed
):
    author, watchers = people
    node = factories.ForumFactory(title=forum)
    here = make_moderator(factories.MemberFactory(), node)
    elsewhere = make_moderator(factories.MemberFactory(), factories.ForumFactory())
    watchers = watchers | {"moderator here": here, "moderator elsewhere": elsewhere}
    thread = factories.make_thread(author=author, node=node)
    _restrict(node, FORUMS[forum])
    for person in watchers.values():
        watch(person, thread)

    with committed():
        post = factories.reply(author=factories.wait_out_flood(author), thread=thread)

    post.thread = thread
    alerted = set(Alert.objects.filter(post=post).values_list("user_id", flat=True))
    expected = {
        person.pk
        for person in watchers.values()
        if person.is_active
        and can_view_post(person, post)
        and not ignores(person, author.pk)
    }
    assert alerted == expected, {
        name: (person.pk in alerted, person.pk in expected)
        for name, person in watchers.items()
    }
    assert author.pk not in alerted
    # Not vacuous: who sees it follows the forum's rules.
    assert (watchers["member"].pk in alerted) == FORUMS[forum].get("member", True)
    assert watchers["staff"].pk in alerted and watchers["inactive"].pk not in alerted
