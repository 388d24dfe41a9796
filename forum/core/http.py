"""Small request helpers shared by views."""

import hashlib

from django.conf import settings


def client_ip(request) -> str | None:
    """The visitor's address; X-Forwarded-For only when we sit behind a proxy we
    trust (settings.TRUSTED_PROXY_COUNT hops), so nobody can forge it."""
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if hops:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


def visitor_key(request) -> str:
    """Who is looking, for de-duplicating views: the member, else address + agent."""
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    raw = f"{client_ip(request)}|{request.META.get('HTTP_USER_AGENT', '')}"
    return "g" + hashlib.sha256(raw.encode()).hexdigest()[:24]
