"""A small board for the moderation tests: two forums in one category, members in
every role, and a thread by the member in the first forum."""

from dataclasses import dataclass

import pytest

from forum.moderation.models import ForumPermission, Moderator
from forum.policy import snapshot as policy
from tests import factories


def make_moderator(user, node=None):
    """A moderator of `node` and everything under it (None: of every node)."""
    Moderator.objects.create(user=user, node=node)
    policy.bump_version()
    return user


def set_permissions(node, role, **flags):
    """What a role may do in a node, as the admin would save it."""
    ForumPermission.objects.update_or_create(node=node, role=role, defaults=flags)
    policy.bump_version()


def make_private(node):
    for role in ("guest", "unverified", "member"):
        set_permissions(
            node,
            role,
            can_view=False,
            can_start_threads=False,
            can_reply=False,
            can_react=False,
            can_upload=False,
        )


@dataclass
class Board:
    category: object
    forum: object
    other_forum: object
    author: object
    other: object
    unverified: object
    mod_here: object
    mod_other: object
    admin: object
    thread: object

    def user(self, role: str):
        return {
            "guest": None,
            "unverified": self.unverified,
            "member": self.author,
            "other_member": self.other,
            "mod_other_forum": self.mod_other,
            "mod_this_forum": self.mod_here,
            "admin": self.admin,
        }[role]


ROLES = [
    "guest",
    "unverified",
    "member",
    "other_member",
    "mod_other_forum",
    "mod_this_forum",
    "admin",
]


@pytest.fixture
def board(db):
    category = factories.CategoryFactory(title="Defence")
    forum = factories.ForumFactory(title="Army", parent=category)
    other_forum = factories.ForumFactory(title="Navy", parent=category)
    author = factories.MemberFactory(username="Author")
    other = factories.MemberFactory(username="Bystander")
    unverified = factories.MemberFactory(username="Newcomer", verified=False)
    mod_here = make_moderator(factories.MemberFactory(username="ArmyMod"), forum)
    mod_other = make_moderator(factories.MemberFactory(username="NavyMod"), other_forum)
    admin = factories.MemberFactory(username="Admin", is_staff=True)
    thread = factories.make_thread(
        author=author, node=forum, title="Tanks", replies=2, repliers=[author, other]
    )
    for person in (author, other, mod_here, mod_other, admin):
        factories.wait_out_flood(person)
    return Board(
        category=category,
        forum=forum,
        other_forum=other_forum,
        author=author,
        other=other,
        unverified=unverified,
        mod_here=mod_here,
        mod_other=mod_other,
        admin=admin,
        thread=thread,
    )


@pytest.fixture
def approval_on(settings):
    """The product's defaults: three approved posts before posting freely; a new
    member's post with more than two links waits."""
    settings.FORUM_APPROVAL_POSTS = 3
    settings.FORUM_APPROVAL_MAX_LINKS = 2
    return settings


@pytest.fixture
def moderation_middleware(settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "forum.moderation.middleware.BanMiddleware",
    ]
    return settings
