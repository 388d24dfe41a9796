"""Shared fixtures: members, forums and threads made through the real services."""

import pytest

from tests import factories


@pytest.fixture
def member(db):
    return factories.MemberFactory(username="Reader")


@pytest.fixture
def other_member(db):
    return factories.MemberFactory(username="Another")


@pytest.fixture
def staff(db):
    return factories.MemberFactory(username="Moderator", is_staff=True)


@pytest.fixture
def forum_node(db):
    category = factories.CategoryFactory(title="Pakistan")
    return factories.ForumFactory(title="Pakistan Defence", parent=category)


@pytest.fixture
def thread(forum_node, member):
    return factories.make_thread(author=member, node=forum_node, title="A thread")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client
