"""Shared fixtures: members, forums and threads made through the real services."""

import pytest
from django.core.cache import caches

from tests import factories


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """The guest page cache lives outside the database, so no transaction rollback
    empties it: start every test without cached pages or buffered view counts."""
    from forum.core import pagecache
    from forum.threads import viewcounts

    caches["pages"].clear()
    pagecache.forget_local()
    with viewcounts._lock:
        viewcounts._pending.clear()
        viewcounts._seen.clear()
    yield


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
def viewer(request, db):
    """Parametrized indirectly with "guest", "member" or "staff": (kind, a client
    signed in as such a viewer, the viewer or None)."""
    from django.test import Client

    client = Client()
    user = None
    if request.param != "guest":
        user = factories.MemberFactory(
            username="Viewer", is_staff=request.param == "staff"
        )
        client.force_login(user)
    return request.param, client, user


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


# --- reactions ---
@pytest.fixture
def reaction_types(db):
    """The default reaction set by name: Like, Love, Haha, Wow (+1), Sad, Angry (0)."""
    return factories.default_reaction_types()


# --- moderation ---
@pytest.fixture(autouse=True)
def _moderation_defaults(settings):
    """Most tests are about members who post freely: the approval queue (a first
    few posts, and posts with many links, wait for a moderator) is switched off
    here and back on in tests/moderation. Each test also starts without this
    process's copy of the permission snapshot (forum/policy/snapshot.py)."""
    from forum.policy import snapshot as policy

    settings.FORUM_APPROVAL_POSTS = 0
    settings.FORUM_APPROVAL_MAX_LINKS = None
    policy.forget_local()
    yield
    policy.forget_local()


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- Chromium ---
@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session (tests/browser, tests/production):
    Playwright's sync API runs one event loop per thread, so a second one
    cannot start while this one is open."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


# --- the embedded database ---
def pytest_configure(config):
    """The test session owns the embedded PostgreSQL (forum/core/database.py): it
    starts it if none runs and, if it did, stops it when the session ends."""
    from contextlib import ExitStack

    from forum.core import database

    config._forum_database = ExitStack()
    config._forum_database.enter_context(database.serving())


def pytest_unconfigure(config):
    held = getattr(config, "_forum_database", None)
    if held is not None:
        held.close()
