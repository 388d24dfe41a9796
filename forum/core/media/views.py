"""/media/<name>: a file from the storage, whichever it is (a folder, a bucket).

Production serves media through this view unless the storage hands out its own
addresses (a public bucket or CDN: see forum/core/media/config.py). Answers:

- 404 for a missing file, a name that leaves the storage, or a file an access
  rule refuses (nothing tells a refused file from a missing one);
- content-addressed names (forum.core.media.is_immutable) are cached a year
  (`public, max-age=31536000, immutable`), others an hour; files under an
  access rule are `private`;
- pictures are shown inline; anything else is a download (Content-Disposition:
  attachment), so an uploaded HTML or SVG file never runs as the site's page;
- an ETag from the name answers a revalidation with 304 without opening it.
"""

import hashlib
import mimetypes
import posixpath

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from forum.core.media import access_rule, is_immutable

YEAR = 365 * 24 * 3600
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"}


def _clean(name: str) -> str:
    normalized = posixpath.normpath(name)
    if normalized.startswith(("/", "..")) or "\\" in name or "\0" in name:
        raise Http404("no such file")
    return normalized


@require_safe
def serve(request, name: str):
    name = _clean(name)
    rule = access_rule(name)
    if rule is not None and not rule(request, name):
        raise Http404("no such file")
    etag = '"' + hashlib.sha256(name.encode()).hexdigest()[:32] + '"'
    immutable = is_immutable(name)
    if immutable and etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        try:
            handle = default_storage.open(name, "rb")
        except (FileNotFoundError, IsADirectoryError, SuspiciousFileOperation):
            raise Http404("no such file") from None
        except OSError as error:  # a bucket's "no such key" is an OSError too
            if "404" in str(error) or "NoSuchKey" in str(error):
                raise Http404("no such file") from None
            raise
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response = FileResponse(
            handle,
            content_type=content_type,
            as_attachment=content_type not in INLINE_TYPES,
            filename=posixpath.basename(name),
        )
    response["ETag"] = etag
    max_age = YEAR if immutable else 3600
    if rule is not None:
        patch_cache_control(response, private=True, max_age=min(max_age, 3600))
    else:
        patch_cache_control(response, public=True, max_age=max_age)
        if immutable:
            patch_cache_control(response, immutable=True)
    return response
