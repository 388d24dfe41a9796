"""Text kept in the session while its writer logs in again.

A few forms at a time, the newest last; each under a random token that only this
session knows. Passwords were dropped before anything gets here (typed.py).
"""

from __future__ import annotations

import secrets

from forum.core.keep.typed import Typed

SESSION_KEY = "kept_forms"
MAX_FORMS = 5
# More than this (in characters) is given back at once instead: a session row is
# not the place for megabytes.
MAX_CHARS = 200_000


def put(request, typed: Typed) -> str | None:
    """Keep what the POST carried, to be sent again to the same address; the
    token to ask for it by, or None when it is too large to keep."""
    if sum(len(field.value) for field in typed.fields) > MAX_CHARS:
        return None
    kept = dict(request.session.get(SESSION_KEY) or {})
    while len(kept) >= MAX_FORMS:
        kept.pop(next(iter(kept)))
    token = secrets.token_urlsafe(12)
    kept[token] = {"action": request.get_full_path(), "fields": typed.as_data()}
    request.session[SESSION_KEY] = kept
    return token


def get(request, token: str) -> tuple[str, Typed] | None:
    """(address, what was typed) kept under the token in this session."""
    found = (request.session.get(SESSION_KEY) or {}).get(token)
    if not isinstance(found, dict) or not isinstance(found.get("action"), str):
        return None
    return found["action"], Typed.from_data(found.get("fields"))
