"""The benchmark's ceiling page exists only where the development pages are on."""

import importlib
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches


def _reload_urlconf():
    importlib.reload(importlib.import_module(settings.ROOT_URLCONF))
    clear_url_caches()


@pytest.fixture
def devtools_setting():
    """Switches FORUM_DEVTOOLS and reloads the URLconf, which reads it when it
    loads; both are put back afterwards."""
    switched = []

    def switch(on: bool):
        override = override_settings(FORUM_DEVTOOLS=on)
        override.enable()
        switched.append(override)
        _reload_urlconf()

    yield switch
    for override in reversed(switched):
        override.disable()
    _reload_urlconf()


def test_ceiling_is_not_found_with_the_development_pages_off(
    db, client, devtools_setting
):
    devtools_setting(False)
    assert client.get("/-/ceiling").status_code == 404


def test_ceiling_answers_with_the_development_pages_on(db, client, devtools_setting):
    devtools_setting(True)
    response = client.get("/-/ceiling")
    assert response.status_code == 200
    assert b"is up." in response.content


RESOLVE = """
import django
django.setup()
from django.urls import Resolver404, resolve
try:
    resolve("/-/ceiling")
    print("mounted")
except Resolver404:
    print("absent")
"""


def _production_urlconf(**environ) -> str:
    """Whether a process started with production settings (DEBUG off) mounts the
    ceiling. It never connects to the database it is given."""
    env = {
        name: value for name, value in os.environ.items() if name != "FORUM_DEVTOOLS"
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "forum.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-throwaway-key-for-this-test-only-0123456789abcdef",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
        **environ,
    }
    done = subprocess.run(
        [sys.executable, "-c", RESOLVE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_production_settings_leave_the_ceiling_out():
    assert _production_urlconf() == "absent"


def test_production_settings_mount_the_ceiling_when_asked():
    assert _production_urlconf(FORUM_DEVTOOLS="1") == "mounted"
