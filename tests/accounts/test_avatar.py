"""Avatar upload: every refused file says why and leaves the old avatar alone; a good
one becomes three clean WebP files."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts import services
from tests.accounts.imagedata import huge_png_header, image_bytes, jpeg_with_exif

AVATAR_URL = "/account/avatar"


@pytest.fixture
def with_avatar(member, media_root, django_capture_on_commit_callbacks):
    """The member already has an avatar (a blue square)."""
    with django_capture_on_commit_callbacks(execute=True):
        services.set_avatar(
            member=member, data=image_bytes(color=(0, 0, 255)), filename="blue.png"
        )
    return member.avatar


def upload(client, data, name):
    return client.post(AVATAR_URL, {"avatar": SimpleUploadedFile(name, data)})


def stored_files(prefix):
    return [f"{prefix}-{size}.webp" for size in (48, 96, 192)]


def test_good_upload_stores_three_webp_sizes_without_exif(
    member_client, member, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(member_client, jpeg_with_exif(), "holiday.jpg")

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar.startswith(f"avatars/{member.pk}/")
    for size, name in zip((48, 96, 192), stored_files(member.avatar), strict=True):
        with default_storage.open(name) as stored:
            data = stored.read()
        image = Image.open(io.BytesIO(data))
        assert image.format == "WEBP"
        assert image.size == (size, size)
        assert "exif" not in image.info
        assert not image.getexif()
        assert b"SpyCam" not in data
    page = member_client.get(AVATAR_URL).content.decode()
    assert member.avatar_url(192) in page


def test_new_avatar_replaces_and_deletes_the_old_files(
    member_client, member, with_avatar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(member_client, image_bytes(color=(0, 255, 0)), "green.png")

    member.refresh_from_db()
    assert member.avatar != with_avatar
    assert all(default_storage.exists(n) for n in stored_files(member.avatar))
    assert not any(default_storage.exists(n) for n in stored_files(with_avatar))


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x89PNG" + b"\x00" * (5 * 1024 * 1024 + 10), "big.png", "larger than 5 MB"),
        (b"this is not an image at all", "photo.jpg", "not an image we can read"),
        (image_bytes("PNG"), "photo.jpg", "its name ends in .jpg"),
        (huge_png_header(), "bomb.png", "too many pixels"),
    ],
    ids=["oversize", "corrupt", "png-named-jpg", "30000x30000-header"],
)
def test_refused_upload_explains_why_and_keeps_the_old_avatar(
    member_client, member, with_avatar, data, name, message
):
    response = upload(member_client, data, name)

    assert response.status_code == 200
    assert message in response.content.decode()
    member.refresh_from_db()
    assert member.avatar == with_avatar
    assert all(default_storage.exists(n) for n in stored_files(with_avatar))
    assert sorted(default_storage.listdir(f"avatars/{member.pk}")[1]) == sorted(
        n.rsplit("/", 1)[1] for n in stored_files(with_avatar)
    )


def test_submitting_without_a_file_asks_for_one(member_client, member, media_root):
    response = member_client.post(AVATAR_URL, {})

    assert "Please choose an image" in response.content.decode()


def test_remove_avatar_goes_back_to_the_letter(
    member_client, member, with_avatar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post("/account/avatar/remove")

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar == ""
    assert not any(default_storage.exists(n) for n in stored_files(with_avatar))
    page = member_client.get(member.get_absolute_url()).content.decode()
    assert "avatar--letter" in page


def test_avatar_pages_need_a_login(client, db):
    response = client.get(AVATAR_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
