"""A private bucket whose files the forum serves itself (MEDIA_S3_PROXY=1)."""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class ProxiedS3Storage(S3Storage):
    """S3Storage whose addresses are the forum's /media/ view
    (forum/core/media/views.py), which reads the object from the bucket: for
    buckets that are not public, and files behind an access rule."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + filepath_to_uri(name.lstrip("/"))
