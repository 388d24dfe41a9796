"""Sign-up and password reset against a real SMTP server on 127.0.0.1: down,
the member sees the normal page and the mail waits; back up, the worker
delivers it and its link works."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from forum.core.models import OutgoingMail
from tests import factories
from tests.outbox import SmtpServer, let_time_pass, run_worker, use_smtp

User = get_user_model()
PASSWORD = "Kestrel-Harbour-42"

pytestmark = pytest.mark.django_db(transaction=True)


def sign_up(client):
    return client.post(
        "/accounts/signup/",
        {
            "username": "Windjammer",
            "email": "windjammer@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_signup_with_the_mail_server_down_then_up(settings):
    port = use_smtp(settings)
    client = Client()

    # The mail server is down: the member still gets the normal page.
    response = sign_up(client)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    assert b"Verify Your Email Address" in response.content
    member = User.objects.get(username="Windjammer")

    run_worker()
    queued = OutgoingMail.objects.get()
    assert queued.to == ["windjammer@example.com"]
    assert queued.status == OutgoingMail.Status.RETRYING
    assert queued.attempts == 1
    assert "ConnectionRefusedError" in queued.last_error
    assert queued.next_attempt_at > queued.created_at
    assert not DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "READY"])

    run_worker()  # the wait is not over: no new attempt
    queued.refresh_from_db()
    assert queued.attempts == 1

    staff = factories.MemberFactory(username="Admin", is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(staff)
    assert b"1 e-mail undelivered" in admin.get("/admin/").content

    # The server is back; once the wait is over the worker delivers the mail.
    with SmtpServer(port) as server:
        let_time_pass()
        run_worker()
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.SENT
    assert queued.attempts == 2
    assert b"nothing undelivered" in admin.get("/admin/").content

    (delivered,) = server.messages
    assert delivered["To"] == "windjammer@example.com"
    link = re.search(
        r"http://testserver(/accounts/confirm-email/\S+/)", text_of(delivered)
    )
    assert link, text_of(delivered)
    assert client.get(link.group(1)).status_code == 200
    client.post(link.group(1))
    assert EmailAddress.objects.get(user=member).verified


def test_password_reset_with_the_mail_server_down_then_up(settings):
    port = use_smtp(settings)
    factories.MemberFactory(username="Reader")
    client = Client()

    response = client.post(
        "/accounts/password/reset/", {"email": "reader@example.com"}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("account_reset_password_done")
    run_worker()
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.RETRYING

    with SmtpServer(port) as server:
        let_time_pass()
        run_worker()

    (delivered,) = server.messages
    path = re.search(r"http://testserver(\S+)", text_of(delivered)).group(1)
    form_page = client.get(path, follow=True)
    assert b'<label for="id_password1">' in form_page.content
