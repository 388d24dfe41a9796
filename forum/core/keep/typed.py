"""What a POST carried, sorted for showing back to the member who sent it.

Only the request is known here, not the form that made it, so each value is
sorted by its name and by what it looks like:

- "password": a name with password/passwd/secret in it, or a one-time code; the
  value is dropped at once (never shown, never stored);
- "textarea" / "text": what a person typed: prose (spaces, letters outside
  ASCII, line breaks, anything long) or a field whose name says it holds text
  (title, body, reason, login...);
- "hidden": short machine values (ids, choices, "next" addresses, ticked boxes),
  carried along unseen so that sending again sends what the form sent;
- "file": an upload, which cannot be kept: only its field and file name are.

The CSRF token of the failed request is dropped: a form sent again carries a
fresh one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote_plus, unquote_to_bytes

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.http import parse_header_parameters

CSRF_FIELD = "csrfmiddlewaretoken"
_SECRET_PARTS = ("password", "passwd", "secret")
_SECRET_NAMES = {"code", "otp", "totp", "token"}
_TEXT_NAMES = {
    "title",
    "subject",
    "body",
    "message",
    "text",
    "content",
    "reason",
    "note",
    "comment",
    "description",
    "q",
    "query",
    "login",
    "username",
    "email",
    "name",
    "about",
    "signature",
    "location",
    "website",
}
_MULTILINE_NAMES = {
    "body",
    "message",
    "text",
    "content",
    "comment",
    "description",
    "about",
    "signature",
}
_LABELS = {"body": "Message", "q": "Search for", "login": "Username or e-mail"}
# A machine value: no spaces, ASCII, short (an id, a choice, a same-site path).
_TOKEN = re.compile(r"[\w\-.:/#?&=%+@,~]{0,40}", re.ASCII)
_LONG = 200


@dataclass(frozen=True)
class KeptField:
    name: str
    kind: str  # "text", "textarea", "hidden", "password" or "file"
    value: str = ""
    filename: str = ""  # for a file: the name it had on the member's computer
    truncated: bool = False  # cut off where a too-large body was cut

    @property
    def label(self) -> str:
        found = _LABELS.get(self.name.lower())
        if found:
            return found
        words = " ".join(self.name.replace("_", " ").replace("-", " ").split())
        return words.capitalize() or "Field"

    @property
    def rows(self) -> int:
        return min(20, max(6, self.value.count("\n") + 2))


@dataclass(frozen=True)
class Typed:
    fields: tuple[KeptField, ...] = ()

    def of_kind(self, *kinds: str) -> list[KeptField]:
        return [field for field in self.fields if field.kind in kinds]

    @property
    def shown(self) -> list[KeptField]:
        return self.of_kind("text", "textarea")

    @property
    def has_text(self) -> bool:
        """Whether the member typed anything a page could lose."""
        return any(field.value.strip() for field in self.shown)

    @property
    def passwords(self) -> list[KeptField]:
        return self.of_kind("password")

    @property
    def files(self) -> list[KeptField]:
        return self.of_kind("file")

    @property
    def truncated(self) -> list[KeptField]:
        return [field for field in self.shown if field.truncated]

    def as_data(self) -> list[list]:
        """A JSON-safe form (for the session); passwords hold nothing already."""
        return [[f.name, f.kind, f.value, f.filename, f.truncated] for f in self.fields]

    @classmethod
    def from_data(cls, data) -> Typed:
        return cls(tuple(KeptField(*map(_plain, row[:5])) for row in data or ()))


def _plain(value):
    return value if isinstance(value, str | bool) else str(value)


def _kind(name: str, value: str) -> str | None:
    lowered = name.lower()
    if lowered == CSRF_FIELD:
        return None
    if lowered in _SECRET_NAMES or any(part in lowered for part in _SECRET_PARTS):
        return "password"
    if "\n" in value or "\r" in value or len(value) > _LONG:
        return "textarea"
    if lowered in _MULTILINE_NAMES:
        return "textarea"
    if lowered in _TEXT_NAMES or not _TOKEN.fullmatch(value):
        return "text"
    return "hidden"


def typed_from_pairs(
    pairs: Iterable[tuple[str, str]],
    files: Iterable[tuple[str, str]] = (),
    *,
    truncated: str | None = None,
) -> Typed:
    """Sort (name, value) pairs in their order; `truncated` names the field
    that was cut off."""
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS or 1000
    fields = []
    for name, value in list(pairs)[:limit]:
        kind = _kind(name, value)
        if kind is None:
            continue
        if kind == "password":
            fields.append(KeptField(name, kind))
        else:
            fields.append(KeptField(name, kind, value, truncated=name == truncated))
    for name, filename in list(files)[:limit]:
        fields.append(KeptField(name, "file", filename=filename))
    return Typed(tuple(fields))


def typed_from_request(request) -> Typed:
    """What the request's POST carried; nothing when it cannot be read."""
    if request.method != "POST":
        return Typed()
    try:
        pairs = [(k, v) for k, values in request.POST.lists() for v in values]
        files = [(k, f.name or "") for k, found in request.FILES.lists() for f in found]
    except (
        SuspiciousOperation,  # too large, too many fields
        BadRequest,
        MultiPartParserError,
        UnreadablePostError,
    ):
        return Typed()
    return typed_from_pairs(pairs, files)


# --- the first part of a body too large to parse ----------------------------------


def _decode_cut(data: bytes) -> str:
    """UTF-8 text whose end may have been cut inside a character."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 3:  # a character cut in two at the end
            return data[: error.start].decode("utf-8", errors="replace")
        return data.decode("utf-8", errors="replace")


def typed_from_urlencoded_prefix(data: bytes) -> Typed:
    """The fields of the first bytes of an urlencoded body; the last one is
    taken to be cut off (a field cut inside its name is dropped)."""
    text = data.decode("ascii", errors="ignore")
    text = re.sub(r"%[0-9A-Fa-f]?\Z", "", text)  # an escape cut in two
    pieces = [piece for piece in text.split("&") if piece]
    pairs = []
    last = None
    for index, piece in enumerate(pieces):
        name, equals, value = piece.partition("=")
        is_last = index == len(pieces) - 1
        if not equals and is_last:
            break
        raw = unquote_to_bytes(value.replace("+", " "))
        value = _decode_cut(raw) if is_last else raw.decode("utf-8", "replace")
        pairs.append((unquote_plus(name), value))
        last = pairs[-1][0] if is_last else last
    return typed_from_pairs(pairs, truncated=last)


def typed_from_multipart_prefix(data: bytes, boundary: str) -> Typed:
    """The fields of the first bytes of a multipart body: text parts with their
    values (the last one cut off), file parts by name only."""
    delimiter = b"\r\n--" + boundary.encode("latin-1")
    chunks = (b"\r\n" + data).split(delimiter)[1:]  # [0] is the preamble
    pairs, files = [], []
    last = None
    for index, chunk in enumerate(chunks):
        if chunk.startswith(b"--"):  # the closing delimiter
            break
        head, found, body = chunk.partition(b"\r\n\r\n")
        if not found:
            break  # cut inside the part's headers
        is_last = index == len(chunks) - 1
        if is_last:
            body = _without_partial_delimiter(body, delimiter)
        disposition = _header(head, b"content-disposition")
        if disposition is None:
            continue
        _, params = parse_header_parameters(disposition)
        name = params.get("name")
        if name is None:
            continue
        if "filename" in params:
            files.append((name, params["filename"]))
            continue
        pairs.append((name, _decode_cut(body)))
        if is_last:
            last = name
    return typed_from_pairs(pairs, files, truncated=last)


def _header(head: bytes, wanted: bytes) -> str | None:
    for line in head.split(b"\r\n"):
        key, colon, value = line.partition(b":")
        if colon and key.strip().lower() == wanted:
            return value.strip().decode("utf-8", errors="replace")
    return None


def _without_partial_delimiter(body: bytes, delimiter: bytes) -> bytes:
    for length in range(min(len(delimiter), len(body)), 0, -1):
        if body.endswith(delimiter[:length]):
            return body[:-length]
    return body
