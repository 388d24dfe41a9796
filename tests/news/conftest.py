"""Fixtures for quoted-article tests: a local article server the fetcher may reach,
a guard that fails any request beyond 127.0.0.1, and the real database worker."""

import ipaddress
import socket

import pytest

from tests.news.article_server import ArticleServer

_LOOPBACK_NAMES = {"127.0.0.1", "::1", "localhost"}


class NetworkGuard:
    """Lets connections reach loopback only; records every attempt."""

    def __init__(self) -> None:
        self.attempts: list[tuple[str, int]] = []

    def forbidden(self) -> list[tuple[str, int]]:
        return [
            (host, port)
            for host, port in self.attempts
            if host not in _LOOPBACK_NAMES
            and not ipaddress.ip_address(host).is_loopback
        ]


@pytest.fixture
def only_loopback(monkeypatch):
    """Any DNS lookup or connection beyond 127.0.0.1 fails loudly (and is
    recorded, so a test can also assert that none was attempted)."""
    guard = NetworkGuard()
    real_lookup = socket.getaddrinfo
    real_connect = socket.create_connection

    def lookup(host, port, *args, **kwargs):
        if host not in _LOOPBACK_NAMES:
            guard.attempts.append((str(host), port or 0))
            raise AssertionError(f"unexpected DNS lookup of {host!r}")
        return real_lookup(host, port, *args, **kwargs)

    def connect(address, *args, **kwargs):
        guard.attempts.append((address[0], address[1]))
        if (
            address[0] not in _LOOPBACK_NAMES
            and not ipaddress.ip_address(address[0]).is_loopback
        ):
            raise AssertionError(f"test tried to connect to {address[0]}")
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    monkeypatch.setattr(socket, "create_connection", connect)
    return guard


@pytest.fixture
def media_root(settings, tmp_path):
    """Stored files (article pictures) go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def article_server(settings, media_root, only_loopback):
    """A local "news site" the fetcher is allowed to reach, with short timeouts."""
    with ArticleServer() as server:
        settings.NEWS_FETCH_ALLOW_LOOPBACK = True
        settings.NEWS_FETCH_ALLOWED_PORTS = {server.port}
        settings.NEWS_FETCH_TIMEOUT = 2
        yield server
