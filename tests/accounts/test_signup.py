"""Sign-up, e-mail verification, logging in, password reset: allauth with the
forum's rules and look."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from forum.policy import can_post
from tests import factories
from tests.outbox import send_queued_mail

User = get_user_model()

SIGNUP = "/accounts/signup/"
PASSWORD = "Kestrel-Harbour-42"


def signup_data(**overrides):
    data = {
        "username": "Windjammer",
        "email": "windjammer@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def link_in(message) -> str:
    match = re.search(
        r"http://testserver(/accounts/confirm-email/[^\s]+/)", message.body
    )
    assert match, message.body
    return match.group(1)


def test_signup_sends_verification_mail_and_link_lets_member_post(
    client, forum_node, thread, mailoutbox
):
    response = client.post(SIGNUP, signup_data())
    send_queued_mail()

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    member = User.objects.get(username="Windjammer")
    assert not can_post(User.objects.get(pk=member.pk))
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["windjammer@example.com"]

    confirm_url = link_in(mailoutbox[0])
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert b"Confirm" in page.content
    assert b'class="site-header"' in page.content
    client.post(confirm_url)

    assert EmailAddress.objects.get(user=member).verified
    assert can_post(User.objects.get(pk=member.pk))
    client.force_login(member)
    response = client.post(thread.get_reply_url(), {"body": "Hello from a new member."})
    assert response.status_code == 302
    assert thread.posts.filter(author=member, body="Hello from a new member.").exists()


def test_unverified_member_cannot_post(db, forum_node, thread):
    member = factories.MemberFactory(username="Fresh", verified=False)
    assert not can_post(member)


def test_unverified_member_trying_to_reply_is_told_to_confirm_email(
    client, forum_node, thread
):
    member = factories.MemberFactory(username="Fresh", verified=False)
    client.force_login(member)

    response = client.post(
        thread.get_reply_url(), {"body": "Can I post yet?"}, follow=True
    )

    assert not thread.posts.filter(author=member).exists()
    assert b"confirm your e-mail address" in response.content


def test_unverified_member_cannot_log_in_and_gets_a_new_mail(db, client, mailoutbox):
    factories.MemberFactory(username="Fresh", verified=False)

    response = client.post(
        "/accounts/login/", {"login": "Fresh", "password": "demo-password"}
    )
    send_queued_mail()

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("login", ["Reader", "reader", "reader@example.com"])
def test_member_logs_in_by_username_or_email(client, member, login):
    response = client.post(
        "/accounts/login/", {"login": login, "password": "demo-password"}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_wrong_password_is_refused_with_a_message(client, member):
    response = client.post(
        "/accounts/login/", {"login": "Reader", "password": "not-it"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert b"not correct" in response.content


def test_password_reset_answers_the_same_for_known_and_unknown_email(
    client, member, mailoutbox
):
    known = client.post("/accounts/password/reset/", {"email": "reader@example.com"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    send_queued_mail()

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    done_known = client.get(known["Location"]).content
    done_unknown = client.get(unknown["Location"]).content
    assert done_known == done_unknown
    # Each address gets a mail; only the member's has a reset link.
    assert sorted(m.to[0] for m in mailoutbox) == [
        "nobody@example.com",
        "reader@example.com",
    ]
    reset_mail = next(m for m in mailoutbox if m.to == ["reader@example.com"])
    assert "/accounts/password/reset/key/" in reset_mail.body


def test_password_reset_link_lets_member_choose_a_new_password(
    client, member, mailoutbox
):
    client.post("/accounts/password/reset/", {"email": "reader@example.com"})
    send_queued_mail()
    path = re.search(r"http://testserver(\S+)", mailoutbox[0].body).group(1)

    form_page = client.get(path, follow=True)
    assert b'<label for="id_password1">' in form_page.content
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": "Fresh-Lagoon-77", "password2": "Fresh-Lagoon-77"},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("Fresh-Lagoon-77")


def test_honeypot_filled_gets_the_normal_answer_and_creates_nothing(
    db, client, mailoutbox
):
    response = client.post(SIGNUP, signup_data(homepage="http://spam.example"))
    send_queued_mail()

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not User.objects.filter(username="Windjammer").exists()
    assert mailoutbox == []


def test_honeypot_field_is_labelled_but_hidden_from_people(client, db):
    page = client.get(SIGNUP).content.decode()

    assert '<label for="id_homepage">' in page
    assert 'aria-hidden="true"' in page
    assert 'tabindex="-1"' in page


def test_signup_form_refills_and_explains_a_bad_username(client, db):
    response = client.post(SIGNUP, signup_data(username="ad"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "at least 3 characters" in page
    assert 'value="windjammer@example.com"' in page
    assert not User.objects.exists()


ENTRANCE_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/confirm-email/",
]


@pytest.mark.parametrize("path", ENTRANCE_PAGES)
def test_account_pages_use_the_forum_layout(client, db, path):
    page = client.get(path).content.decode()

    assert 'class="site-header"' in page
    assert 'id="content"' in page
    assert "Menu:" not in page  # allauth's bare layout


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_every_field_on_account_forms_has_a_label(client, db, path):
    page = client.get(path).content.decode()
    # Hidden inputs (the browser's time zone) are not fields anybody fills in.
    ids = re.findall(r'<input(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', page)
    visible = [i for i in ids if f'id="{i}"' in page and "csrf" not in i]

    assert visible
    for field_id in visible:
        assert f'<label for="{field_id}"' in page, field_id


MANAGE_PAGES = [
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/logout/",
]


@pytest.mark.parametrize("path", MANAGE_PAGES)
def test_signed_in_account_pages_use_the_forum_layout(member_client, path):
    response = member_client.get(path)
    page = response.content.decode()

    assert response.status_code == 200
    assert 'class="site-header"' in page
    for field_id in re.findall(r'<input[^>]*\bid="([^"]+)"', page):
        assert f'<label for="{field_id}"' in page, field_id


def test_password_change_page_has_the_settings_menu(member_client):
    page = member_client.get("/accounts/password/change/").content.decode()

    assert 'aria-label="Account settings"' in page
    assert 'href="/account/profile"' in page


def test_admin_login_goes_through_the_forum_login(client, db):
    response = client.get("/admin/login/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_admin_pages_send_guests_to_the_forum_login(client, db):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"


def test_staff_reach_the_admin_after_forum_login(client, staff):
    response = client.post(
        "/accounts/login/?next=/admin/",
        {"login": "Moderator", "password": "demo-password", "next": "/admin/"},
    )

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_admin_login_refuses_signed_in_non_staff(member_client):
    assert member_client.get("/admin/login/").status_code == 403
