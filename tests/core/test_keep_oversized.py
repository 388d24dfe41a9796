"""A form larger than the upload limit: a page that says the limit and gives back
the first part of the text, and one warning line in the log."""

import logging
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forum.posts.models import Post
from tests.core.keptpages import (
    ORIGIN,
    in_layout,
    kept_form,
    page_text,
    soup,
    textarea_text,
)

FORM = "application/x-www-form-urlencoded"
SMALL_LIMIT = 256 * 1024


@pytest.fixture(autouse=True)
def no_flood_wait(settings):
    settings.FORUM_FLOOD_SECONDS = 0
    settings.FORUM_FLOOD_SECONDS_NEW_MEMBER = 0


def post_form(client, url, data, **headers):
    return client.post(url, urlencode(data), content_type=FORM, **ORIGIN, **headers)


def test_the_real_limit_is_six_megabytes_and_is_said_in_words(
    member_client, thread, caplog
):
    body = "The start of a very long reply. " + "x" * (7 * 1024 * 1024)

    with caplog.at_level(logging.WARNING):
        response = post_form(member_client, thread.get_reply_url(), {"body": body})

    assert response.status_code == 413
    assert in_layout(response)
    assert "Your message is larger than the 6 MB this forum accepts" in (
        page_text(response)
    )
    kept = textarea_text(soup(response).select_one("textarea[name=body]"))
    assert kept.startswith("The start of a very long reply. xxx")
    assert 5.9 * 1024 * 1024 < len(kept) < 6 * 1024 * 1024
    assert Post.objects.filter(thread=thread).count() == 1
    # One line, no traceback.
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert warnings[0].exc_info is None
    assert "too large" in warnings[0].getMessage()


def test_the_kept_text_sent_again_meets_the_posts_own_length_limit(
    member_client, thread, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SMALL_LIMIT
    body = "Long. " * 60_000  # 360 KB
    refused = post_form(member_client, thread.get_reply_url(), {"body": body})
    assert refused.status_code == 413
    assert "cut off at the limit" in page_text(refused)

    action, data = kept_form(refused)
    response = member_client.post(action, data)

    assert response.status_code == 200
    errors = soup(response).select_one(".form-errors").get_text(" ", strip=True)
    assert "characters long; the limit is 50,000." in errors
    again = textarea_text(soup(response).select_one("textarea[name=body]"))
    assert again.strip() == data["body"].strip()
    assert body.startswith(again.strip())


def test_a_character_cut_in_two_at_the_limit_is_dropped_not_garbled(
    member_client, thread, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SMALL_LIMIT
    body = "Çà et là " * 40_000

    response = post_form(member_client, thread.get_reply_url(), {"body": body})

    kept = textarea_text(soup(response).select_one("textarea[name=body]"))
    assert "\ufffd" not in kept
    assert body.startswith(kept)
    assert len(kept) > 10_000


def test_the_other_fields_of_a_form_come_back_too(member_client, forum_node, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SMALL_LIMIT

    response = post_form(
        member_client,
        forum_node.get_post_thread_url(),
        {"title": "My essay", "body": "Essay text. " * 30_000},
    )

    page = soup(response)
    assert page.select_one("input[name=title]")["value"] == "My essay"
    assert textarea_text(page.select_one("textarea[name=body]")).startswith("Essay")


def test_a_multipart_form_keeps_its_text_and_names_the_file(
    member_client, thread, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SMALL_LIMIT
    upload = SimpleUploadedFile("map.png", b"\x89PNG" + b"0" * 1000)

    response = member_client.post(
        thread.get_reply_url(),
        {"attachment": upload, "title": "Short", "body": "Multipart text. " * 30_000},
        **ORIGIN,
    )

    assert response.status_code == 413
    page = soup(response)
    kept = textarea_text(page.select_one("textarea[name=body]"))
    assert kept.startswith("Multipart text. Multipart")
    assert "--" not in kept[-200:]  # no piece of a part boundary
    assert page.select_one("input[name=title]")["value"] == "Short"
    assert page.select_one("input[type=file][name=attachment]") is not None
    assert "choose them again (map.png)" in page_text(response)


def test_a_large_file_with_little_text_is_not_refused_by_the_body_limit(
    member_client, media_root, settings
):
    # Files do not count against the limit: the avatar form says its own.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SMALL_LIMIT
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"\x00" * (6 * 1024 * 1024))

    response = member_client.post(reverse("members:account_avatar"), {"avatar": big})

    assert response.status_code == 200
    assert "larger than 5 MB" in page_text(response)


def test_a_form_from_another_site_is_refused_without_showing_its_text(
    member_client, thread, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SMALL_LIMIT

    response = member_client.post(
        thread.get_reply_url(),
        urlencode({"body": "Not yours. " * 30_000}),
        content_type=FORM,
        HTTP_ORIGIN="https://evil.example",
    )

    assert response.status_code == 413
    assert "Not yours." not in response.content.decode()
    assert soup(response).select_one("form.kept-form") is None


def test_a_body_under_the_limit_but_over_the_post_limit_gets_the_form_error(
    member_client, thread
):
    body = "y" * (5 * 1024 * 1024)  # 5 MB: within the upload limit

    response = member_client.post(thread.get_reply_url(), {"body": body})

    assert response.status_code == 200
    errors = soup(response).select_one(".form-errors").get_text(" ", strip=True)
    assert "Your message is 5,242,880 characters long; the limit is 50,000." in errors
    kept = textarea_text(soup(response).select_one("textarea[name=body]"))
    assert kept.strip() == body
