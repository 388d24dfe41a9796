"""A form refused for a stale security token gives back what was typed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from forum.posts.models import Post
from tests.core.keptpages import (
    ORIGIN,
    in_layout,
    kept_form,
    page_text,
    soup,
    stale_token,
    textarea_text,
)


@pytest.fixture(autouse=True)
def no_flood_wait(settings):
    settings.FORUM_FLOOD_SECONDS = 0
    settings.FORUM_FLOOD_SECONDS_NEW_MEMBER = 0


@pytest.fixture
def strict(member):
    """A member's browser: CSRF checks on, the security cookie set by a page."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    return client


def post_stale(client, url, data, **headers):
    return client.post(
        url, {**data, "csrfmiddlewaretoken": stale_token()}, **ORIGIN, **headers
    )


REPLY = "I spent an hour on this.\n\nSecond paragraph, with [b]markup[/b]."


def test_reply_with_a_stale_token_comes_back_in_the_layout_with_the_text(
    strict, thread
):
    strict.get(thread.get_reply_url())

    response = post_stale(strict, thread.get_reply_url(), {"body": REPLY})

    assert response.status_code == 403
    assert in_layout(response)
    assert "Your session expired or the page was open too long" in (
        response.content.decode()
    )
    box = soup(response).select_one("form.kept-form textarea[name=body]")
    assert textarea_text(box) == REPLY
    assert Post.objects.filter(thread=thread).count() == 1
    assert "no-store" in response["Cache-Control"]


def test_sending_the_kept_form_again_posts_the_reply(strict, thread):
    strict.get(thread.get_reply_url())
    refused = post_stale(strict, thread.get_reply_url(), {"body": REPLY})

    action, data = kept_form(refused)
    assert action == thread.get_reply_url()
    response = strict.post(action, data, **ORIGIN)

    assert response.status_code == 302
    reply = Post.objects.filter(thread=thread).latest("position")
    assert reply.body == REPLY.replace("\r\n", "\n")


def test_a_missing_cookie_is_explained_and_the_page_brings_a_new_one(strict, thread):
    # No page was loaded first: the browser has no security cookie at all.
    refused = post_stale(strict, thread.get_reply_url(), {"body": REPLY})

    assert refused.status_code == 403
    assert "allow cookies for this site" in refused.content.decode()
    action, data = kept_form(refused)
    assert strict.post(action, data, **ORIGIN).status_code == 302
    assert Post.objects.filter(thread=thread, body=REPLY).exists()


def test_the_old_token_is_not_echoed(strict, thread):
    strict.get(thread.get_reply_url())
    old = stale_token()

    response = strict.post(
        thread.get_reply_url(),
        {"body": REPLY, "csrfmiddlewaretoken": old},
        **ORIGIN,
    )

    assert old not in response.content.decode()
    tokens = soup(response).select("form.kept-form input[name=csrfmiddlewaretoken]")
    assert len(tokens) == 1


XSS = '</textarea><script>alert(1)</script><img src=x onerror="alert(2)">'


def test_posted_text_field_names_and_address_are_escaped(strict, thread):
    strict.get(thread.get_reply_url())
    url = thread.get_reply_url() + '?x="><script>alert(3)</script>'

    response = post_stale(
        strict,
        url,
        {"body": XSS, '"><script>alert(4)</script>': "a b", "title": XSS},
    )

    html = response.content.decode()
    assert response.status_code == 403
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    page = soup(response)
    assert textarea_text(page.select_one("textarea[name=body]")) == XSS
    assert page.select_one("input[name=title]")["value"] == XSS
    action = page.select_one("form.kept-form")["action"]
    assert (
        action == thread.get_reply_url() + "?x=%22%3E%3Cscript%3Ealert(3)%3C/script%3E"
    )


def test_a_login_form_keeps_the_name_but_never_the_password(client, member):
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")

    response = post_stale(
        client,
        "/accounts/login/",
        {"login": "Reader", "password": "my-secret-pass", "remember": "on"},
    )

    html = response.content.decode()
    assert response.status_code == 403
    assert "my-secret-pass" not in html
    page = soup(response)
    assert page.select_one("input[name=login]")["value"] == "Reader"
    password = page.select_one("input[name=password]")
    assert password["type"] == "password" and not password.get("value")
    assert "type yours in again" in html


def test_a_file_cannot_be_kept_and_the_page_says_so(strict, thread):
    strict.get(thread.get_reply_url())
    upload = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")

    response = post_stale(
        strict, thread.get_reply_url(), {"body": REPLY, "attachment": upload}
    )

    page = soup(response)
    assert textarea_text(page.select_one("textarea[name=body]")) == REPLY
    assert page.select_one("input[type=file][name=attachment]") is not None
    assert page.select_one("form.kept-form")["enctype"] == "multipart/form-data"
    assert "Files cannot be kept: choose them again (notes.txt)" in (
        response.content.decode()
    )


def test_a_form_posted_from_another_site_is_not_shown_back(strict, thread):
    strict.get(thread.get_reply_url())

    response = strict.post(
        thread.get_reply_url(),
        {"body": "Spam put in your mouth", "csrfmiddlewaretoken": stale_token()},
        HTTP_ORIGIN="https://evil.example",
    )

    assert response.status_code == 403
    assert in_layout(response)
    assert "Spam put in your mouth" not in response.content.decode()
    assert soup(response).select_one("form.kept-form") is None


def test_without_a_sign_that_the_form_came_from_here_nothing_is_shown_back(
    strict, thread
):
    strict.get(thread.get_reply_url())

    response = strict.post(
        thread.get_reply_url(),
        {"body": "Whose words?", "csrfmiddlewaretoken": stale_token()},
    )

    assert response.status_code == 403
    assert "Whose words?" not in response.content.decode()
    assert "did not come from one of this site's pages" in page_text(response)


def test_the_browsers_same_origin_header_is_enough(strict, thread):
    strict.get(thread.get_reply_url())

    response = strict.post(
        thread.get_reply_url(),
        {"body": REPLY, "csrfmiddlewaretoken": stale_token()},
        HTTP_SEC_FETCH_SITE="same-origin",
    )

    assert textarea_text(soup(response).select_one("textarea[name=body]")) == REPLY


def test_a_form_without_text_gets_the_explanation_and_no_blind_resend(
    strict, forum_node
):
    strict.get(forum_node.get_absolute_url())

    response = post_stale(strict, forum_node.get_absolute_url() + "mark-read", {})

    assert response.status_code == 403
    assert in_layout(response)
    assert "Your session expired" in response.content.decode()
    assert soup(response).select_one("form.kept-form") is None
