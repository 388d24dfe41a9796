"""Media on S3-compatible object storage (MEDIA_S3_BUCKET), against a real S3
server on 127.0.0.1 (moto's server mode, started here), not a mock object:
uploads land in the bucket with a year's Cache-Control, pages link to the
bucket (or, with MEDIA_S3_PROXY, to the forum's view, which reads from it), and
replaced files are deleted from it."""

import json
import socket
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest
from django.core.files.storage import default_storage

from accounts import services as accounts
from forum.core.media import config as media_config
from forum.news import services as news
from tests import factories
from tests.accounts.imagedata import image_bytes

BUCKET = "forum-media"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}
KEYS = {"MEDIA_S3_ACCESS_KEY_ID": "testing", "MEDIA_S3_SECRET_ACCESS_KEY": "testing"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    port = _free_port()
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, "the S3 server exited"
            try:
                urllib.request.urlopen(endpoint, timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the S3 server did not start"
                time.sleep(0.2)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture
def bucket(s3_endpoint):
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    # Pages link to the bucket itself unless MEDIA_S3_PROXY is set: its objects
    # are readable by anyone, as the README tells operators to set it up.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    yield client
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for entry in listed:
        client.delete_object(Bucket=BUCKET, Key=entry["Key"])
    client.delete_bucket(Bucket=BUCKET)


def use_bucket(settings, endpoint: str, **extra: str) -> None:
    environ = {
        "MEDIA_S3_BUCKET": BUCKET,
        "MEDIA_S3_ENDPOINT_URL": endpoint,
        "MEDIA_S3_REGION": "us-east-1",
        **KEYS,
        **extra,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": media_config.media_storage(environ),
    }
    return environ


def keys(client) -> set[str]:
    return {e["Key"] for e in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def fetch(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read()


@pytest.mark.django_db
def test_an_avatar_goes_to_the_bucket_and_is_fetched_from_it(
    settings, s3_endpoint, bucket, member, django_capture_on_commit_callbacks
):
    use_bucket(settings, s3_endpoint)

    with django_capture_on_commit_callbacks(execute=True):
        prefix = accounts.set_avatar(
            member=member, data=image_bytes(), filename="a.png"
        )

    assert keys(bucket) == {f"{prefix}-{size}.webp" for size in (48, 96, 192)}
    head = bucket.head_object(Bucket=BUCKET, Key=f"{prefix}-96.webp")
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    assert head["ContentType"] == "image/webp"
    url = member.avatar_url(96)
    assert url.startswith(f"{s3_endpoint}/{BUCKET}/{prefix}-96.webp")
    assert "Signature" not in url  # the same address in every render
    status, headers, body = fetch(url)
    assert status == 200 and body[:4] == b"RIFF"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.django_db
def test_a_replaced_avatar_is_deleted_from_the_bucket(
    settings, s3_endpoint, bucket, member, django_capture_on_commit_callbacks
):
    use_bucket(settings, s3_endpoint)
    with django_capture_on_commit_callbacks(execute=True):
        old = accounts.set_avatar(member=member, data=image_bytes(), filename="a.png")
    with django_capture_on_commit_callbacks(execute=True):
        new = accounts.set_avatar(
            member=member, data=image_bytes(color=(9, 9, 200)), filename="b.png"
        )
    with django_capture_on_commit_callbacks(execute=True):
        accounts.remove_avatar(member=member)

    assert new != old
    assert keys(bucket) == set()


@pytest.mark.django_db
def test_a_private_bucket_is_served_through_the_forums_view(
    settings, s3_endpoint, bucket, client
):
    use_bucket(settings, s3_endpoint, MEDIA_S3_PROXY="1")
    quote = news.create_card(
        creator=factories.MemberFactory(),
        url="https://www.example.org/world/summit",
        headline="Summit ends",
        image=image_bytes(size=(640, 360)),
    )
    quote.refresh_from_db()

    assert quote.image.name in keys(bucket)
    assert quote.image.url == f"/media/{quote.image.name}"
    response = client.get(quote.image.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # a JPEG
    assert "max-age=31536000" in response["Cache-Control"]
    assert client.get(f"/media/news/cards/missing.{'0' * 16}.jpg").status_code == 404


def test_pictures_from_the_bucket_are_allowed_by_the_policy(s3_endpoint):
    environ = {"MEDIA_S3_BUCKET": BUCKET, "MEDIA_S3_ENDPOINT_URL": s3_endpoint}

    assert media_config.media_origins(environ) == [s3_endpoint]
    assert media_config.media_origins({**environ, "MEDIA_S3_PROXY": "1"}) == []
    assert media_config.media_origins(
        {**environ, "MEDIA_S3_CUSTOM_DOMAIN": "media.example.org"}
    ) == ["https://media.example.org"]
    assert media_config.media_storage({})["BACKEND"].endswith("FileSystemStorage")
    assert default_storage.__class__.__name__ != "S3Storage"
