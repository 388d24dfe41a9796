"""Alerts are written by background tasks queued on commit: here those tasks run
inline, when the test lets the transaction's on-commit work run."""

import pytest

from forum.notifications.models import ThreadWatch
from tests import factories


@pytest.fixture(autouse=True)
def _inline_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what the block queued on commit (its tasks,
    and what they queue in turn), as the worker would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def saleem(db):
    return factories.MemberFactory(username="Saleem")


@pytest.fixture
def windjammer(db):
    return factories.MemberFactory(username="Windjammer")


@pytest.fixture
def hawk(db):
    return factories.MemberFactory(username="Desert Hawk")


def watch(user, thread, email=False):
    return ThreadWatch.objects.update_or_create(
        user=user, thread=thread, defaults={"email": email}
    )[0]
