"""Middleware that keeps what a member typed when a POST cannot be served.

OversizedFormMiddleware goes last: it must look at the body before
CsrfViewMiddleware's process_view reads it, and its answer must still pass
through every other middleware (the CSRF cookie, X-Frame-Options).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.log import log_response

from forum.core.keep.pages import render_kept
from forum.core.keep.typed import (
    typed_from_multipart_prefix,
    typed_from_urlencoded_prefix,
)

logger = logging.getLogger("forum.core.keep")


def describe_bytes(count: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= scale:
            return f"{round(count / scale, 1):g} {unit}"
    return f"{count:,} bytes"


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
