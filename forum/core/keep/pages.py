"""The page that gives a member back what they typed (templates/core/kept.html).

Two shapes:

- a form to send again: the same address, the same field names, the text in
  textareas and inputs to edit, short machine values carried unseen, empty
  password and file inputs to fill in again, and the page's own fresh CSRF
  token. It is sent only by the member's click: no script submits it;
- text to copy: read-only boxes, for a refusal that sending again would meet
  again (a locked thread, a ban).

Either way what is shown back is escaped like any other text, and it is shown
only when the request came from one of this site's own pages.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe

from forum.core.keep.typed import Typed, typed_from_request
from forum.core.safe_redirect import safe_next

# The heading of templates/403.html, apostrophe and all (a constant: safe as is).
DENIED_TITLE = mark_safe("You can't do that")


def sent_from_this_site(request) -> bool:
    """Whether this POST came from a page of this site: it passed the CSRF
    check, or the browser says so (Origin, else Sec-Fetch-Site). A form posted
    from another site is never shown back: its text is not the member's, and a
    page that put it in a form with a valid token would help forge a post."""
    if getattr(request, "csrf_processing_done", False):
        return True
    origin = request.META.get("HTTP_ORIGIN")
    if origin:
        own = f"{request.scheme}://{request.get_host()}"
        return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS
    return request.headers.get("Sec-Fetch-Site") == "same-origin"


def _safe_action(action: str) -> str | None:
    # Only a path on this site: the page never sends a member's text elsewhere.
    if action.startswith("/") and not action.startswith(("//", "/\\")):
        return action
    return None


def _default_links(request) -> list[tuple[str, str]]:
    came_from = safe_next(request, request.META.get("HTTP_REFERER"), "")
    if came_from:
        return [("Back to the page you came from", came_from)]
    return [("Go to the front page", "/")]


def _notes(typed: Typed, *, shown: bool, resubmit: bool, withheld: bool) -> list:
    notes = []
    if withheld:
        notes.append(
            "This form did not come from one of this site's pages, so what it "
            "carried is not shown here."
        )
    if not shown:
        return notes
    if resubmit:
        notes.append("What you typed is below: check it, then send it again.")
    else:
        notes.append("What you typed is below, so you can copy it.")
    if typed.truncated:
        names = ", ".join(field.label for field in typed.truncated)
        notes.append(f"The end was cut off at the limit ({names}).")
    if typed.passwords:
        notes.append(
            "Passwords are never shown again: type yours in again."
            if resubmit
            else "Passwords are not kept."
        )
    if typed.files:
        names = ", ".join(f.filename or f.label for f in typed.files)
        notes.append(f"Files cannot be kept: choose them again ({names}).")
    return notes


def render_kept(
    request,
    *,
    status: int,
    title: str,
    explanation: list[str],
    typed: Typed | None = None,
    resubmit: bool = False,
    action: str | None = None,
    button: str = "Send again",
    links: list[tuple[str, str]] | None = None,
):
    """A page in the forum's layout saying what happened (`explanation`, plain
    sentences) and giving back what the POST carried (`typed`, read from the
    request by default): as a form to `action` (the request's own address by
    default) when `resubmit`, else as text to copy. Never cached."""
    if typed is None:
        typed = typed_from_request(request)
    from_here = sent_from_this_site(request)
    shown = typed.has_text and from_here
    target = _safe_action(action or request.get_full_path()) if resubmit else None
    resubmit = shown and target is not None
    context = {
        "title": title,
        "explanation": explanation,
        "notes": _notes(
            typed,
            shown=shown,
            resubmit=resubmit,
            withheld=typed.has_text and not from_here,
        ),
        "typed": typed if shown else None,
        "resubmit": resubmit,
        "action": target,
        "button": button,
        "multipart": bool(typed.files),
        "links": _default_links(request) if links is None else links,
    }
    response = render(request, "core/kept.html", context, status=status)
    add_never_cache_headers(response)  # the member's own words: no copies kept
    # A click on it sends them with a valid token: never inside another site's
    # frame, even when answered by a middleware that XFrameOptionsMiddleware
    # does not wrap.
    response["X-Frame-Options"] = "DENY"
    return response
