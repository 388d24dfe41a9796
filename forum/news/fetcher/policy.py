"""What one fetch may do: its limits, its time budget and how it can fail."""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchRefused(Exception):
    """The URL is not allowed to be fetched; ``str()`` is safe to show a member."""


class FetchFailed(Exception):
    """The fetch was allowed but did not produce usable content."""


@dataclass(frozen=True)
class FetchPolicy:
    """Limits applied to one fetch (all redirects included)."""

    allow_loopback: bool = False
    allowed_ports: frozenset[int] = frozenset({80, 443})
    connect_timeout: float = 5.0
    total_timeout: float = 10.0
    max_bytes: int = 2 * 1024 * 1024
    max_redirects: int = 3

    @classmethod
    def from_settings(cls) -> FetchPolicy:
        """Build the policy from Django settings, falling back to strict defaults."""
        from django.conf import settings

        # Outside a configured Django process (scripts, plain pytest) the strict
        # defaults are the only safe answer; reading settings would raise.
        if not settings.configured:
            return cls()
        allow_loopback = bool(getattr(settings, "NEWS_FETCH_ALLOW_LOOPBACK", False))
        ports = getattr(settings, "NEWS_FETCH_ALLOWED_PORTS", None)
        if ports is None:
            return cls(allow_loopback=allow_loopback)
        return cls(
            allow_loopback=allow_loopback,
            allowed_ports=frozenset(int(port) for port in ports),
        )


class Deadline:
    """One time budget shared by every step of a fetch, redirects included."""

    def __init__(self, seconds: float) -> None:
        self.expires = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self.expires - time.monotonic()
        if left <= 0:
            raise FetchFailed("The website took too long to respond.")
        return left
