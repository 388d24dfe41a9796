"""A POST refused after the member typed (logged out meanwhile, lost the right
to post, the thread gone) keeps the text."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from forum.posts import services
from forum.posts.models import Post
from forum.threads.models import Thread
from tests.core.keptpages import in_layout, kept_form, page_text, soup, textarea_text
from tests.moderation.conftest import set_permissions

TYPED = "A reply typed before the session ran out.\nSecond line."


@pytest.fixture(autouse=True)
def no_flood_wait(settings):
    settings.FORUM_FLOOD_SECONDS = 0
    settings.FORUM_FLOOD_SECONDS_NEW_MEMBER = 0


def _next_of(response) -> str:
    return parse_qs(urlsplit(response["Location"]).query)["next"][0]


def test_a_reply_sent_after_the_session_ended_waits_for_the_login(
    client, member, thread
):
    # The session ended (or the member logged out in another tab): a guest now.
    response = client.post(thread.get_reply_url(), {"body": TYPED})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    waiting = _next_of(response)
    login = client.get(response["Location"])
    assert "you logged out in another tab" in page_text(login)

    logged_in = client.post(
        response["Location"], {"login": "Reader", "password": "demo-password"}
    )
    assert logged_in["Location"] == waiting
    page = client.get(waiting)
    assert page.status_code == 200
    assert in_layout(page)
    action, data = kept_form(page)
    assert action == thread.get_reply_url()
    assert data["body"] == TYPED

    sent = client.post(action, data)

    assert sent.status_code == 302
    assert Post.objects.filter(thread=thread, author=member, body=TYPED).exists()


def test_a_password_in_a_form_sent_while_logged_out_is_never_stored(client, thread):
    client.post(thread.get_reply_url(), {"body": TYPED, "password": "hunter2-secret"})

    stored = [s.get_decoded() for s in Session.objects.all()]
    assert stored and "hunter2-secret" not in repr(stored)
    assert "before the session ran out" in repr(stored)


def test_too_much_text_to_keep_in_a_session_is_given_back_at_once(client, thread):
    body = "Words " * 40_000

    response = client.post(thread.get_reply_url(), {"body": body})

    assert response.status_code == 403
    assert "You are not logged in any more" in page_text(response)
    box = soup(response).select_one("form.kept-form textarea[name=body]")
    assert textarea_text(box) == body
    login = soup(response).select_one("a[href='/accounts/login/']")
    assert login is not None
    assert response["X-Frame-Options"] == "DENY"


def test_a_text_asked_for_by_an_unknown_token_is_a_404(client, db):
    assert client.get("/kept/not-a-token/").status_code == 404


def test_a_guest_post_without_text_still_goes_to_the_login(client, forum_node):
    response = client.post(forum_node.get_absolute_url() + "mark-read")

    assert response.status_code == 302
    assert _next_of(response) == forum_node.get_absolute_url() + "mark-read"


def test_a_new_thread_refused_after_typing_keeps_the_title_and_text(
    member_client, forum_node
):
    # While the member typed, the forum stopped taking new threads from members.
    set_permissions(forum_node, "member", can_view=True, can_start_threads=False)

    response = member_client.post(
        forum_node.get_post_thread_url(),
        {"title": "Gwadar port, phase two", "body": TYPED},
    )

    assert response.status_code == 403
    assert in_layout(response)
    assert "You can't do that" in page_text(response)
    assert "You may not start threads here." in page_text(response)
    page = soup(response)
    assert page.select_one("input[readonly]")["value"] == "Gwadar port, phase two"
    assert textarea_text(page.select_one("textarea[readonly]")) == TYPED
    assert page.select_one("form.kept-form") is None  # sending again would fail
    assert not Thread.objects.filter(title="Gwadar port, phase two").exists()


def test_a_reply_to_a_thread_deleted_meanwhile_keeps_the_text(
    member_client, thread, staff
):
    services.delete_thread(actor=staff, thread=thread, reason="Duplicate")

    response = member_client.post(thread.get_reply_url(), {"body": TYPED})

    assert response.status_code == 404
    assert in_layout(response)
    assert "deleted or moved while you were writing" in page_text(response)
    box = soup(response).select_one("textarea[readonly]")
    assert textarea_text(box) == TYPED


def test_an_edit_of_a_post_deleted_meanwhile_keeps_the_text(
    member_client, member, thread, staff
):
    post = services.reply_to_thread(
        author=member, thread=thread, body="First version.", enforce_limits=False
    ).post
    services.delete_post(actor=staff, post=post, reason="Off topic")

    response = member_client.post(f"/posts/{post.pk}/edit", {"body": TYPED})

    assert response.status_code in (403, 404)
    assert textarea_text(soup(response).select_one("textarea[readonly]")) == TYPED


def test_a_refusal_without_typed_text_is_the_usual_403_page(member_client, thread):
    response = member_client.post(f"/moderation/threads/{thread.pk}/lock")

    assert response.status_code == 403
    assert soup(response).select_one("textarea") is None


def test_a_strict_browser_gets_the_kept_text_after_logging_in_again(member, thread):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/accounts/login/")
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        thread.get_reply_url(), {"body": TYPED, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    login_page = browser.get(response["Location"])
    token = soup(login_page).select_one("input[name=csrfmiddlewaretoken]")["value"]
    browser.post(
        response["Location"],
        {"login": "Reader", "password": "demo-password", "csrfmiddlewaretoken": token},
    )

    action, data = kept_form(browser.get(_next_of(response)))
    assert browser.post(action, data).status_code == 302
    assert Post.objects.filter(thread=thread, body=TYPED).exists()
