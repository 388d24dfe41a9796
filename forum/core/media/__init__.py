"""Uploaded and fetched files (avatars, news pictures, attachments): always through
Django's storage API (`default_storage`, or a field's storage), never raw paths.

Where they live (settings.STORAGES["default"], chosen by forum/core/media/config.py):
a folder on this machine (MEDIA_ROOT) by default, or an S3-compatible bucket
(django-storages) when MEDIA_S3_BUCKET is set.

Names are content-addressed: `hashed_name` puts a digest of the bytes into the
name, so the bytes under a name never change and browsers and CDNs may keep
them for a year (`is_immutable`). `store_once` saves under such a name, and a
second save of the same bytes is the same file.

Who may fetch a file: everyone, unless an app registered an access rule for its
folder (`register_access_rule("attachments/", rule)`, where `rule(request, name)`
says yes or no); the serving view (forum/core/media/views.py) asks it on every
request and marks such answers private.
"""

import hashlib
import posixpath
import re
from collections.abc import Callable

from django.core.files.base import ContentFile

_DIGEST = 16  # hex characters of sha256 in a name: 64 bits, no collision in sight
_HASHED = re.compile(r"(?:^|[./_-])[0-9a-f]{12,64}(?:[./_-]|$)")


def content_digest(*parts: bytes) -> str:
    """A short hex digest of the bytes, for names."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()[:_DIGEST]


def hashed_name(name: str, content: bytes) -> str:
    """ "news/2026/05/12.jpg" -> "news/2026/05/12.<digest>.jpg"."""
    folder, base = posixpath.split(name)
    stem, ext = posixpath.splitext(base)
    return posixpath.join(folder, f"{stem}.{content_digest(content)}{ext}")


def is_immutable(name: str) -> bool:
    """Whether the name carries a digest (or a random token as long), so its
    bytes never change: such files are cached for a year."""
    return bool(_HASHED.search(posixpath.basename(name)))


def store_once(storage, name: str, content: bytes) -> str:
    """Save `content` under `name` (a content-addressed name) unless it is there
    already; returns the name. A storage that renames the file (it was taken by
    other bytes, which a content-addressed name rules out) is an error."""
    if storage.exists(name):
        return name
    stored = storage.save(name, ContentFile(content))
    if stored != name:
        storage.delete(stored)
        raise RuntimeError(f"the storage renamed {name} to {stored}")
    return stored


# --- who may fetch a file ------------------------------------------------------

AccessRule = Callable[[object, str], bool]
_rules: dict[str, AccessRule] = {}


def register_access_rule(prefix: str, rule: AccessRule) -> None:
    """Files whose names start with `prefix` are served only when
    `rule(request, name)` is true (a 404 otherwise, like a thread one may not
    see). Called from an app's AppConfig.ready()."""
    if not prefix.endswith("/"):
        raise ValueError("an access rule covers a folder: end the prefix with /")
    _rules[prefix] = rule


def access_rule(name: str) -> AccessRule | None:
    """The rule of the longest registered folder that holds `name`, if any."""
    found = [prefix for prefix in _rules if name.startswith(prefix)]
    return _rules[max(found, key=len)] if found else None
