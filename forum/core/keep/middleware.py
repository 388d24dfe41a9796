"""Middleware that keeps what a member typed when a POST cannot be served.

KeptTextMiddleware goes right after MessageMiddleware (it needs the session,
the member and messages, and sits outside the middleware that turns their own
exceptions into answers). OversizedFormMiddleware goes last: it must look at the
body before CsrfViewMiddleware's process_view reads it, and its answer must
still pass through every other middleware (the CSRF cookie, X-Frame-Options).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.log import log_response

from forum.core.keep import stash
from forum.core.keep.pages import DENIED_TITLE, render_kept
from forum.core.keep.typed import (
    typed_from_multipart_prefix,
    typed_from_request,
    typed_from_urlencoded_prefix,
)

logger = logging.getLogger("forum.core.keep")


def describe_bytes(count: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= scale:
            return f"{round(count / scale, 1):g} {unit}"
    return f"{count:,} bytes"


class KeptTextMiddleware:
    """A POST whose text would be lost on the way to an error:

    - refused with a 403 (PermissionDenied: the member lost the right while
      typing) or a 404 (what they wrote for was deleted meanwhile): the text
      comes back, to copy, with the reason;
    - sent to the login page by login_required (the session ended, or they
      logged out in another tab): the text waits in the session, and the login
      page leads back to it (views.kept), ready to send.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "POST" and _is_login_redirect(request, response):
            return _keep_for_after_login(request, response)
        return response

    def process_exception(self, request, exception):
        if request.method != "POST":
            return None
        if isinstance(exception, PermissionDenied):
            title, status = DENIED_TITLE, 403
            reason = str(exception) or "You do not have permission to do that."
            explanation = [reason, "Nothing was sent."]
        elif isinstance(exception, Http404):
            title, status = "This page is no longer there", 404
            explanation = [
                "What you were writing for was deleted or moved while you were "
                "writing, so nothing was sent."
            ]
        else:
            return None
        typed = typed_from_request(request)
        if not typed.has_text:
            return None  # the usual 403 and 404 pages
        return render_kept(
            request, status=status, title=title, explanation=explanation, typed=typed
        )


def _is_login_redirect(request, response) -> bool:
    if response.status_code != 302 or request.user.is_authenticated:
        return False
    location = response.get("Location", "")
    return location.split("?", 1)[0] == resolve_url(settings.LOGIN_URL)


def _keep_for_after_login(request, response):
    typed = typed_from_request(request)
    if not typed.has_text:
        return response
    token = stash.put(request, typed)
    if token is None:  # too much to keep in a session: give it back now
        return render_kept(
            request,
            status=403,
            title="You are not logged in any more",
            explanation=[
                "Nothing was sent: your session ended, or you logged out in "
                "another tab.",
                "Log in in another tab, then come back here and send it again.",
            ],
            typed=typed,
            resubmit=True,
            links=[("Log in (opens a new tab)", resolve_url(settings.LOGIN_URL))],
        )
    messages.info(
        request,
        "You are not logged in any more (your session ended, or you logged out "
        "in another tab), so nothing was sent. Log in and what you wrote will be "
        "back, ready to send.",
    )
    after = reverse("core:kept", kwargs={"token": token})
    login = resolve_url(settings.LOGIN_URL)
    return redirect(f"{login}?{urlencode({'next': after})}")


class _Recorder:
    """A request stream that remembers the first `keep` bytes read from it."""

    def __init__(self, stream, keep: int):
        self.stream = stream
        self.keep = keep
        self.kept = bytearray()

    def _note(self, data: bytes) -> bytes:
        room = self.keep - len(self.kept)
        if room > 0:
            self.kept += data[:room]
        return data

    def read(self, *args, **kwargs):
        return self._note(self.stream.read(*args, **kwargs))

    def readline(self, *args, **kwargs):
        return self._note(self.stream.readline(*args, **kwargs))

    def __getattr__(self, name):
        return getattr(self.stream, name)


class OversizedFormMiddleware:
    """A form over settings.DATA_UPLOAD_MAX_MEMORY_SIZE: a 413 page that says
    the limit in words and gives back the first part of the text (read from at
    most the limit of the body), with one warning line in the log instead of a
    400 with a traceback. Urlencoded forms are told by their length before
    anything is read; a multipart form (whose files do not count against the
    limit) is parsed here, with its first bytes recorded, and only a refusal
    makes a page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request.method != "POST" or limit is None:
            return self.get_response(request)
        length = _content_length(request)
        if length <= limit:
            return self.get_response(request)
        # A little under the limit, so the text sent again fits beside a token.
        keep = limit - min(limit // 100, 64 * 1024)
        if request.content_type == "application/x-www-form-urlencoded":
            typed = typed_from_urlencoded_prefix(request.read(keep))
            return _too_large(request, typed, length, limit)
        if request.content_type == "multipart/form-data":
            boundary = request.content_params.get("boundary", "")
            recorder = _Recorder(request._stream, keep)
            request._stream = recorder
            try:
                request.POST  # noqa: B018 - parse now, while the bytes are recorded
            except RequestDataTooBig:
                typed = typed_from_multipart_prefix(bytes(recorder.kept), boundary)
                return _too_large(request, typed, length, limit)
            finally:
                recorder.kept = bytearray()
        return self.get_response(request)


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_large(request, typed, length: int, limit: int):
    response = render_kept(
        request,
        status=413,
        title="Your text is too long to send",
        explanation=[
            f"Your message is larger than the {describe_bytes(limit)} this forum "
            f"accepts in one form (it was {describe_bytes(length)}), so nothing "
            "was sent.",
            "Shorten it before sending it again.",
        ],
        typed=typed,
        resubmit=True,
    )
    log_response(
        "Form too large (%s bytes; the limit is %s): %s",
        length,
        limit,
        request.path,
        response=response,
        request=request,
        logger=logger,
    )
    return response
