"""Which storage holds media, from the environment (read by forum/settings.py).

Nothing set: files in MEDIA_ROOT, served by the forum's own /media/ view.

MEDIA_S3_BUCKET set: an S3-compatible bucket through django-storages, with
  MEDIA_S3_ENDPOINT_URL    the server, for anything but AWS (MinIO, R2, Ceph...)
  MEDIA_S3_REGION          its region
  MEDIA_S3_ACCESS_KEY_ID, MEDIA_S3_SECRET_ACCESS_KEY
                           the keys (else boto3's usual chain: AWS_* variables,
                           an instance role)
  MEDIA_S3_PREFIX          a folder in the bucket for everything
  MEDIA_S3_CUSTOM_DOMAIN   a CDN or public host in front of the bucket
  MEDIA_S3_ADDRESSING_STYLE  "path" (the default with an endpoint) or "virtual"
  MEDIA_S3_PROXY=1         the bucket stays private and pages link to the
                           forum's /media/ view, which streams from it; otherwise
                           pages link to the bucket (or the CDN) directly, so its
                           objects must be publicly readable.
Every object is written with a year's Cache-Control: names hold a digest of
their bytes (forum.core.media.hashed_name).
"""

from collections.abc import Mapping
from urllib.parse import urlsplit

YEAR_CACHE_CONTROL = "public, max-age=31536000, immutable"


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def s3_configured(environ: Mapping[str, str]) -> bool:
    return bool(environ.get("MEDIA_S3_BUCKET"))


def media_storage(environ: Mapping[str, str]) -> dict:
    """settings.STORAGES["default"]."""
    if not s3_configured(environ):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    endpoint = environ.get("MEDIA_S3_ENDPOINT_URL") or None
    options = {
        "bucket_name": environ["MEDIA_S3_BUCKET"],
        "endpoint_url": endpoint,
        "region_name": environ.get("MEDIA_S3_REGION") or None,
        "access_key": environ.get("MEDIA_S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("MEDIA_S3_SECRET_ACCESS_KEY") or None,
        "location": environ.get("MEDIA_S3_PREFIX", "").strip("/"),
        "custom_domain": environ.get("MEDIA_S3_CUSTOM_DOMAIN") or None,
        "addressing_style": environ.get("MEDIA_S3_ADDRESSING_STYLE")
        or ("path" if endpoint else None),
        "object_parameters": {"CacheControl": YEAR_CACHE_CONTROL},
        # Content-addressed names: the same name is the same bytes.
        "file_overwrite": True,
        # Public objects need no signature; a signed address would change with
        # every render and defeat the page cache.
        "querystring_auth": False,
        "default_acl": None,
    }
    if endpoint and urlsplit(endpoint).scheme == "http":
        options["url_protocol"] = "http:"
    backend = (
        "forum.core.media.s3.ProxiedS3Storage"
        if _truthy(environ.get("MEDIA_S3_PROXY"))
        else "storages.backends.s3.S3Storage"
    )
    return {"BACKEND": backend, "OPTIONS": options}


def media_origins(environ: Mapping[str, str]) -> list[str]:
    """Origins that pictures load from besides the site itself (for the
    Content-Security-Policy's img-src): the bucket's or its CDN's."""
    if not s3_configured(environ) or _truthy(environ.get("MEDIA_S3_PROXY")):
        return []
    domain = environ.get("MEDIA_S3_CUSTOM_DOMAIN")
    if domain:
        return [f"https://{domain}"]
    endpoint = environ.get("MEDIA_S3_ENDPOINT_URL")
    if endpoint:
        parts = urlsplit(endpoint)
        return [f"{parts.scheme}://{parts.netloc}"]
    return ["https://*.amazonaws.com"]
