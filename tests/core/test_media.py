"""Media through the storage API, served by the forum's /media/ view (DEBUG off,
as under pytest): content-hashed names cached a year, pictures inline and
anything else as a download, nothing outside the storage, and folders behind
an access rule served only to whom the rule allows."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts import services as accounts
from forum.core import media
from forum.news import services as news
from tests import factories
from tests.accounts.imagedata import image_bytes

YEAR = "max-age=31536000"


def read(response) -> bytes:
    return b"".join(response.streaming_content)


def test_hashed_names_carry_a_digest_of_the_bytes():
    one = media.hashed_name("news/2026/05/12.jpg", b"one")
    two = media.hashed_name("news/2026/05/12.jpg", b"two")

    assert one.startswith("news/2026/05/12.") and one.endswith(".jpg")
    assert one != two and one == media.hashed_name("news/2026/05/12.jpg", b"one")
    assert media.is_immutable(one)
    assert not media.is_immutable("news/2026/05/12.jpg")
    assert not media.is_immutable("avatars/deadbeef/x.webp")  # too short a run


@pytest.mark.django_db
def test_an_uploaded_avatar_is_served_and_cached_a_year(
    client, member, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        accounts.set_avatar(member=member, data=image_bytes(), filename="a.png")

    url = member.avatar_url(96)
    assert url.startswith("/media/avatars/")
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert read(response)[:4] == b"RIFF"
    cache_control = response["Cache-Control"]
    assert YEAR in cache_control and "immutable" in cache_control
    assert "public" in cache_control
    assert "attachment" not in response.get("Content-Disposition", "")


@pytest.mark.django_db
def test_the_same_picture_again_keeps_its_files(
    member, media_root, django_capture_on_commit_callbacks
):
    data = image_bytes(color=(0, 128, 0))
    with django_capture_on_commit_callbacks(execute=True):
        first = accounts.set_avatar(member=member, data=data, filename="a.png")
    with django_capture_on_commit_callbacks(execute=True):
        again = accounts.set_avatar(member=member, data=data, filename="b.png")
    with django_capture_on_commit_callbacks(execute=True):
        other = accounts.set_avatar(member=member, data=image_bytes(), filename="c.png")

    assert again == first != other
    assert not default_storage.exists(f"{first}-96.webp")  # replaced: deleted
    assert default_storage.exists(f"{other}-96.webp")


@pytest.mark.django_db
def test_a_news_cards_picture_is_served_under_its_hashed_name(client, media_root):
    quote = news.create_card(
        creator=factories.MemberFactory(),
        url="https://www.example.org/politics/budget-vote",
        headline="Budget passes",
        image=image_bytes(size=(800, 450)),
    )
    quote.refresh_from_db()

    assert media.is_immutable(quote.image.name)
    response = client.get(quote.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert YEAR in response["Cache-Control"]


@pytest.mark.django_db
def test_a_revalidation_of_a_hashed_name_is_a_304(client, media_root):
    name = default_storage.save(media.hashed_name("x/pic.png", b"a"), ContentFile(b"a"))
    first = client.get(f"/media/{name}")

    again = client.get(f"/media/{name}", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert YEAR in again["Cache-Control"]


@pytest.mark.django_db
def test_a_name_without_a_digest_is_cached_an_hour(client, media_root):
    default_storage.save("legacy/old.png", ContentFile(image_bytes()))

    response = client.get("/media/legacy/old.png")

    assert response.status_code == 200
    assert "max-age=3600" in response["Cache-Control"]
    assert "immutable" not in response["Cache-Control"]


@pytest.mark.django_db
def test_a_file_that_is_not_a_picture_is_a_download(client, media_root):
    default_storage.save("uploads/page.html", ContentFile(b"<script>alert(1)</script>"))

    response = client.get("/media/uploads/page.html")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/media/nothing/here.png", "/media/../forum/settings.py", "/media/%2e%2e/x"],
)
def test_missing_files_and_names_outside_the_storage_are_404(client, media_root, path):
    (media_root.parent / "forum").mkdir(exist_ok=True)
    (media_root.parent / "forum" / "settings.py").write_text("SECRET")

    response = client.get(path)

    assert response.status_code == 404
    assert b"SECRET" not in response.content


@pytest.mark.django_db
def test_a_write_to_media_is_refused(client, media_root):
    default_storage.save("legacy/old.png", ContentFile(b"x"))

    assert client.post("/media/legacy/old.png").status_code == 405


@pytest.mark.django_db
def test_an_access_rule_serves_its_folder_only_to_whom_it_allows(
    client, media_root, monkeypatch
):
    monkeypatch.setattr(media, "_rules", {})
    media.register_access_rule(
        "attachments/", lambda request, name: request.user.is_staff
    )
    name = default_storage.save(
        media.hashed_name("attachments/1/plan.png", b"p"), ContentFile(image_bytes())
    )

    assert client.get(f"/media/{name}").status_code == 404  # nothing told
    client.force_login(factories.MemberFactory(is_staff=True))
    response = client.get(f"/media/{name}")

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "max-age=3600" in response["Cache-Control"]


def test_an_access_rule_must_name_a_folder():
    with pytest.raises(ValueError):
        media.register_access_rule("attachments", lambda request, name: True)
