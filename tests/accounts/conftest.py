"""Fixtures for member tests."""

import pytest


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
