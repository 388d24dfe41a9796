"""Attachments: uploaded while a post is written, re-encoded, refused with a
clear message (and the text kept), served only to those who may see the post."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from forum.moderation.services import community
from forum.posts import places
from forum.posts.models import Attachment, Post
from forum.posts.uploads import services
from forum.posts.uploads.rules import AttachmentRefused
from tests import factories
from tests.composer.helpers import photo, png, refusals, upload, zip_bytes
from tests.moderation.conftest import set_permissions


@pytest.fixture
def writer(db, media_root, forum_node):
    member = factories.MemberFactory(username="Writer")
    type(member).objects.filter(pk=member.pk).update(message_count=50)
    member.refresh_from_db()
    thread = factories.make_thread(author=member, node=forum_node, title="Pictures")
    factories.wait_out_flood(member)
    client = Client()
    client.force_login(member)
    return member, thread, client


def _store(member, thread, name, data):
    place = places.resolve(member, places.for_thread(thread))
    return services.store_upload(
        owner=member, place=place, upload=upload(name, data), enforce_limits=False
    )


def test_a_photo_is_stored_re_encoded_without_exif_with_thumbnails(writer):
    member, thread, _ = writer
    attachment = _store(member, thread, "beach.jpg", photo())

    stored = default_storage.open(attachment.file.name).read()
    img = Image.open(io.BytesIO(stored))
    assert img.format == "WEBP"
    assert not img.getexif()  # no camera, no GPS position
    assert b"SpyCam" not in stored
    assert (attachment.width, attachment.height) == (1600, 1200)
    assert sorted(int(w) for w in attachment.thumbnails) == [320, 640, 1280]
    assert attachment.filename == "beach.webp"


def test_a_reply_claims_the_uploads_and_shows_them_with_srcset_to_guests(writer):
    member, thread, client = writer
    inline = _store(member, thread, "one.jpg", photo())
    _store(member, thread, "two.png", png())
    _store(member, thread, "notes.zip", zip_bytes())

    response = client.post(
        thread.get_reply_url(), {"body": f"Look: [ATTACH={inline.pk}] and more."}
    )
    assert response.status_code == 302
    post = Post.objects.get(thread=thread, position=1)
    assert post.attachment_count == 3

    page = BeautifulSoup(Client().get(thread.get_absolute_url()).content, "html.parser")
    message = page.select_one(f"#post-{post.pk}")
    placed = message.select_one(".message__body img")
    assert placed["src"].startswith(f"/attachments/{inline.pk}/")
    assert "320w" in placed["srcset"] and "1600w" in placed["srcset"]
    gallery = message.select(".attachments__item")
    assert len(gallery) == 2  # the one placed inline is not repeated
    assert "notes.zip" in message.select_one(".attachments").get_text()
    picture = Client().get(placed["src"])
    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/webp"
    assert "max-age=31536000" in picture["Cache-Control"]
    assert picture["Cache-Control"].startswith("public")


def test_a_file_is_refused_to_a_viewer_who_cannot_see_the_forum(writer, forum_node):
    member, thread, client = writer
    attachment = _store(member, thread, "map.png", png())
    client.post(thread.get_reply_url(), {"body": "A map."})
    url = attachment.get_absolute_url()
    assert Client().get(url).status_code == 200

    set_permissions(forum_node, "guest", can_view=False)

    assert Client().get(url).status_code == 404
    assert client.get(url).status_code == 200  # members still see the forum


def test_the_storage_address_never_serves_an_attachment(writer, settings):
    """Only the attachment view (which asks about the post) hands the file out:
    not /media/, where avatars and news pictures are served to anyone."""
    member, thread, client = writer
    attachment = _store(member, thread, "map.png", png())
    client.post(thread.get_reply_url(), {"body": "A map."})
    media = settings.MEDIA_URL + attachment.file.name

    assert default_storage.exists(attachment.file.name)
    assert Client().get(media).status_code == 404
    assert client.get(media).status_code == 404  # its owner too: the view is the way
    assert Client().get(attachment.get_absolute_url()).status_code == 200


def test_an_upload_not_yet_posted_is_its_owners_alone(writer):
    member, thread, client = writer
    attachment = _store(member, thread, "draft.png", png())
    other = Client()
    other.force_login(factories.MemberFactory())

    assert client.get(attachment.get_absolute_url()).status_code == 200
    assert other.get(attachment.get_absolute_url()).status_code == 404
    assert Client().get(attachment.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("case", list(refusals()))
def test_each_refused_file_says_why_and_the_text_comes_back(writer, case):
    member, thread, client = writer
    name, data, words = refusals()[case]
    typed = "A long reply I do not want to type again."

    response = client.post(
        thread.get_reply_url(), {"body": typed, "attachment": upload(name, data)}
    )

    assert response.status_code == 200  # the form again, nothing posted
    page = BeautifulSoup(response.content, "html.parser")
    problems = page.select_one(".composer__problems").get_text()
    assert words in problems, problems
    assert page.select_one("textarea[name=body]").get_text().strip() == typed
    assert not Post.objects.filter(thread=thread, position=1).exists()
    assert not Attachment.objects.exists()


def test_the_upload_endpoint_refuses_with_the_same_message(writer):
    member, thread, client = writer
    name, data, words = refusals()["bomb"]
    response = client.post(
        "/attachments/upload",
        {"place": places.for_thread(thread), "file": upload(name, data)},
    )
    assert response.status_code == 400
    assert words in response.json()["error"]


def test_over_quota_is_refused_with_what_is_used(writer, settings):
    member, thread, client = writer
    _store(member, thread, "first.png", png())
    used = Attachment.objects.get().size
    settings.FORUM_ATTACHMENT_QUOTA_BYTES = {"member": used + 100}

    response = client.post(
        thread.get_reply_url(),
        {"body": "Kept.", "attachment": upload("second.jpg", photo())},
    )

    page = BeautifulSoup(response.content, "html.parser")
    problems = page.select_one(".composer__problems").get_text()
    assert "you have used" in problems and "Delete attachments" in problems
    assert page.select_one("textarea[name=body]").get_text().strip() == "Kept."
    assert Attachment.objects.count() == 1


def test_new_members_may_attach_pictures_only(writer):
    member, thread, _ = writer
    type(member).objects.filter(pk=member.pk).update(message_count=1)
    member.refresh_from_db()
    with pytest.raises(AttachmentRefused, match="pictures"):
        _store(member, thread, "notes.zip", zip_bytes())


def test_orphans_are_removed_after_a_day_and_posted_files_stay(writer):
    from datetime import timedelta

    from django.utils import timezone

    member, thread, client = writer
    posted = _store(member, thread, "kept.png", png())
    client.post(thread.get_reply_url(), {"body": "Posted."})
    orphan = _store(member, thread, "lost.png", png())
    names = orphan.storage_names()
    Attachment.objects.filter(pk=orphan.pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )

    with django_capture_on_commit():
        assert services.delete_orphans() == 1

    assert list(Attachment.objects.values_list("pk", flat=True)) == [posted.pk]
    assert not any(default_storage.exists(name) for name in names)


def test_the_spam_cleaner_removes_the_spammers_files(writer, staff):
    member, thread, client = writer
    attachment = _store(member, thread, "spam.png", png())
    client.post(thread.get_reply_url(), {"body": "Buy now."})
    names = attachment.storage_names()

    with django_capture_on_commit():
        community.clean_spammer(actor=staff, member=member)

    assert not Attachment.objects.filter(owner=member).exists()
    assert not any(default_storage.exists(name) for name in names)


def test_removing_an_upload_without_javascript_keeps_the_text(writer):
    member, thread, client = writer
    attachment = _store(member, thread, "wrong.png", png())

    response = client.post(
        thread.get_reply_url(),
        {"body": "Still here.", "remove_attachment": str(attachment.pk)},
    )

    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("textarea[name=body]").get_text().strip() == "Still here."
    assert not Attachment.objects.exists()


def django_capture_on_commit():
    """Run on-commit callbacks of the test's transaction (file removal)."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_the_check_queued_a_day_after_an_upload_removes_it_if_unclaimed(writer):
    from forum.posts.tasks import forget_orphan_attachment

    member, thread, client = writer
    orphan = _store(member, thread, "lost.png", png())
    kept = _store(member, thread, "kept.png", png())
    Attachment.objects.filter(pk=kept.pk).update(place="")  # as if posted
    Attachment.objects.filter(pk=kept.pk).update(
        post=Post.objects.get(thread=thread, position=0)
    )

    assert forget_orphan_attachment.call(orphan.pk) is True
    assert forget_orphan_attachment.call(kept.pk) is False
    assert list(Attachment.objects.values_list("pk", flat=True)) == [kept.pk]


def test_an_attach_tag_naming_someone_elses_file_shows_nothing(writer, forum_node):
    member, thread, client = writer
    theirs = _store(member, thread, "theirs.png", png())
    client.post(thread.get_reply_url(), {"body": "Mine."})
    copier = factories.MemberFactory()
    factories.reply(author=copier, thread=thread, body=f"[ATTACH={theirs.pk}]")

    page = BeautifulSoup(Client().get(thread.get_absolute_url()).content, "html.parser")
    copied = page.select(".message")[-1]
    assert not copied.select("img.attachment-inline, .message__body img")


def test_a_post_carries_at_most_the_limit(writer, settings):
    member, thread, _ = writer
    settings.FORUM_ATTACHMENTS_PER_POST = 2
    _store(member, thread, "a.png", png())
    _store(member, thread, "b.png", png())
    with pytest.raises(AttachmentRefused, match="at most 2"):
        _store(member, thread, "c.png", png())
