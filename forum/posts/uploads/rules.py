"""What a member may attach: the kinds of file per role, the quota per role, the
size of one file, and the checks of a document's content against its name.

Settings (read on every upload, so override_settings works):
- FORUM_ATTACHMENT_TYPES: {role: [extensions]}; "image" stands for every picture
  format forum.core.images accepts;
- FORUM_ATTACHMENT_QUOTA_BYTES: {role: bytes} for everything a member has stored;
- FORUM_ATTACHMENT_MAX_BYTES: one file; FORUM_ATTACHMENTS_PER_POST.
Roles: "new_member" (fewer than FORUM_NEW_MEMBER_POSTS messages), "member",
"moderator" (moderates somewhere, or staff).
"""

import io
import zipfile

from django.conf import settings

from forum.core.images import (
    ATTACHMENT_FORMATS,
    ImageRejected,
    svg_refusal,
)
from forum.policy import is_moderator

IMAGE_EXTENSIONS = {"jpg", "jpeg", "jpe", "jfif", "png", "gif", "webp"}
if "HEIF" in ATTACHMENT_FORMATS:
    IMAGE_EXTENSIONS |= {"heic", "heif"}
# Served as downloads with these types, whatever the browser said.
FILE_TYPES = {
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
    "zip": "application/zip",
}
_DEFAULT_TYPES = {
    "new_member": ["image"],
    "member": ["image", "pdf", "txt", "zip"],
    "moderator": ["image", "pdf", "txt", "zip"],
}
_MB = 1024 * 1024
_DEFAULT_QUOTA = {"new_member": 20 * _MB, "member": 100 * _MB, "moderator": 500 * _MB}


class AttachmentRefused(ValueError):
    """str() is the message for the member."""


def role(user) -> str:
    if user.is_staff or is_moderator(user):
        return "moderator"
    if user.message_count < settings.FORUM_NEW_MEMBER_POSTS:
        return "new_member"
    return "member"


def allowed_extensions(user) -> set[str]:
    types = getattr(settings, "FORUM_ATTACHMENT_TYPES", _DEFAULT_TYPES)
    wanted = set(types.get(role(user), []))
    found = {ext for ext in wanted if ext in FILE_TYPES}
    if "image" in wanted:
        found |= IMAGE_EXTENSIONS
    return found


def describe_allowed(user) -> str:
    """ "JPEG, PNG, GIF and WebP pictures, PDF, TXT and ZIP files"."""
    allowed = allowed_extensions(user)
    words = []
    if allowed & IMAGE_EXTENSIONS:
        words.append(
            "pictures (JPEG, PNG, GIF, WebP"
            + (", HEIC" if "heic" in allowed else "")
            + ")"
        )
    words += [ext.upper() for ext in sorted(FILE_TYPES) if ext in allowed]
    if not words:
        return "nothing"
    return ", ".join(words[:-1]) + (" and " if len(words) > 1 else "") + words[-1]


def quota(user) -> int:
    quotas = getattr(settings, "FORUM_ATTACHMENT_QUOTA_BYTES", _DEFAULT_QUOTA)
    return int(quotas.get(role(user), 0))


def max_bytes() -> int:
    return int(getattr(settings, "FORUM_ATTACHMENT_MAX_BYTES", 8 * _MB))


def per_post() -> int:
    return int(getattr(settings, "FORUM_ATTACHMENTS_PER_POST", 10))


def extension(filename: str) -> str:
    basename = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    stem, dot, ext = basename.rpartition(".")
    return ext.lower() if dot and stem else ""


def describe_bytes(count: int) -> str:
    for unit, scale in (("MB", _MB), ("KB", 1024)):
        if count >= scale:
            return f"{round(count / scale, 1):g} {unit}"
    return f"{count} bytes"


def check_kind(user, filename: str) -> str:
    """ "image" or "file" for a name this member may attach; refuses others."""
    ext = extension(filename)
    allowed = allowed_extensions(user)
    if ext in ("svg", "svgz"):
        raise AttachmentRefused(svg_refusal())
    if ext not in allowed:
        named = f"Files ending in .{ext}" if ext else "Files without an extension"
        raise AttachmentRefused(
            f"{named} cannot be attached. You may attach {describe_allowed(user)}."
        )
    return "image" if ext in IMAGE_EXTENSIONS else "file"


def check_document(data: bytes, filename: str) -> str:
    """The content type a document is served with, once its content is what its
    name says (a PDF, plain text, a ZIP archive) and nothing else besides."""
    ext = extension(filename)
    if not data:
        raise AttachmentRefused("The file is empty.")
    if _looks_like_image(data):
        raise AttachmentRefused(
            f"This file is a picture but its name ends in .{ext}. Rename it to "
            "its picture format (.jpg, .png...) and upload it again."
        )
    if ext == "pdf":
        if not data.startswith(b"%PDF-"):
            raise AttachmentRefused(
                "This file's name ends in .pdf but it is not a PDF document."
            )
        if _zip_directory_at_end(data):
            raise AttachmentRefused(
                "This PDF also holds a ZIP archive, so it cannot be attached. "
                "Attach the document and the archive separately."
            )
    elif ext == "zip":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise AttachmentRefused(
                "This file's name ends in .zip but it is not a ZIP archive we can read."
            ) from None
        if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            raise AttachmentRefused(
                "This ZIP archive has another file in front of it, so it cannot "
                "be attached. Attach the archive on its own."
            )
    elif ext == "txt":
        if b"\x00" in data:
            raise AttachmentRefused(
                "This file's name ends in .txt but it is not plain text."
            )
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise AttachmentRefused(
                "This text file is not in UTF-8. Save it as UTF-8 and upload it again."
            ) from None
    return FILE_TYPES[ext]


def _looks_like_image(data: bytes) -> bool:
    head = data[:12]
    return (
        head.startswith((b"\xff\xd8\xff", b"\x89PNG", b"GIF87a", b"GIF89a"))
        or (head.startswith(b"RIFF") and head[8:12] == b"WEBP")
        or data[:4096].lstrip().lower().startswith(b"<svg")
    )


def _zip_directory_at_end(data: bytes) -> bool:
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if end == -1 or len(data) < end + 22:
        return False
    return end + 22 + int.from_bytes(data[end + 20 : end + 22], "little") == len(data)


def image_refusal(error: ImageRejected) -> AttachmentRefused:
    return AttachmentRefused(str(error))
