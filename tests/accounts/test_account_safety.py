"""Account safety as a member meets it: a notice e-mail for a sign-in from a
browser they have not used (none for a browser they have, none for the first
sign-in of a new account); wrong two-step codes limited per member and
address like wrong passwords; "sign out everywhere else" on the Sessions page;
staff without a second factor sent to set one up."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import Client
from django.utils import timezone

from forum.core import ratelimit
from forum.core.models import OutgoingMail
from tests import factories

LOGIN = "/accounts/login/"
CODE = "/accounts/2fa/authenticate/"
PASSWORD = "demo-password"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def clock(monkeypatch):
    now = {"t": 1_700_000_000 - 1_700_000_000 % 3600 + 1.0}
    monkeypatch.setattr(ratelimit, "_now", lambda: now["t"])
    return now


@pytest.fixture
def member(db):
    return factories.MemberFactory(
        username="Reader", email="reader@example.com", last_login=timezone.now()
    )


def sign_in(client, login="Reader", address="198.51.100.20"):
    return client.post(
        LOGIN, {"login": login, "password": PASSWORD}, REMOTE_ADDR=address
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def notices() -> list[OutgoingMail]:
    return list(OutgoingMail.objects.filter(kind="new_sign_in"))


def test_a_sign_in_from_a_new_browser_sends_a_notice_and_a_known_one_does_not(
    member,
):
    browser = Client()
    sign_in(browser)

    [notice] = notices()
    assert notice.to == ["reader@example.com"]
    assert "A new sign-in" in notice.subject
    assert "198.51.100.20" in notice.body
    assert "/accounts/sessions/" in notice.body  # where to check and sign out

    browser.post("/accounts/logout/")
    sign_in(browser)  # the same browser: it has its cookie
    assert signed_in(browser)
    assert len(notices()) == 1

    sign_in(Client())  # another browser
    assert len(notices()) == 2


def test_a_new_account_s_first_sign_in_sends_no_notice(db):
    factories.MemberFactory(username="Newcomer", last_login=None)
    sign_in(Client(), login="Newcomer")
    assert notices() == []


def _code(step: int = 0) -> str:
    return format_hotp_value(hotp_value(SECRET, int(time.time()) // 30 + step))


def _with_app(member):
    TOTP.activate(member, SECRET)
    return member


def test_a_member_with_an_app_is_asked_for_its_code_after_the_password(member):
    _with_app(member)
    browser = Client()
    response = sign_in(browser)

    assert response.status_code == 302 and response.url.startswith(CODE)
    assert not signed_in(browser)
    browser.post(CODE, {"code": _code()}, REMOTE_ADDR="198.51.100.20")
    assert signed_in(browser)


def test_wrong_codes_are_limited_per_member_and_address(member, clock, settings):
    settings.MFA_TOTP_TOLERANCE = 1  # the right code below is the next one
    _with_app(member)
    attacker = Client()
    sign_in(attacker, address="203.0.113.7")
    for guess in range(5):
        attacker.post(CODE, {"code": f"{guess:06}"}, REMOTE_ADDR="203.0.113.7")

    refused = attacker.post(CODE, {"code": _code(1)}, REMOTE_ADDR="203.0.113.7")
    assert "Too many wrong codes from here" in refused.content.decode()
    assert not signed_in(attacker)

    owner = Client()  # from home: not held back by the attacker's guesses
    sign_in(owner)
    owner.post(CODE, {"code": _code(1)}, REMOTE_ADDR="198.51.100.20")
    assert signed_in(owner)


def test_sign_out_everywhere_else_keeps_this_browser_only(member):
    here, phone = Client(), Client()
    sign_in(here)
    sign_in(phone, address="203.0.113.9")
    page = here.get("/accounts/sessions/").content.decode()
    assert "1 other session will be signed out; this one stays." in page

    here.post("/accounts/sessions/")

    assert here.get("/accounts/sessions/").status_code == 200
    assert phone.get("/accounts/sessions/").status_code == 302  # to sign in
    assert "other session" not in here.get("/accounts/sessions/").content.decode()


def test_staff_without_a_second_factor_are_sent_to_set_one_up(db, settings):
    settings.FORUM_STAFF_MFA_REQUIRED = True
    staff = factories.MemberFactory(username="Admiral", is_staff=True)
    browser = Client()
    browser.force_login(staff)

    assert browser.get("/").url == "/accounts/2fa/totp/activate/"
    assert browser.get("/admin/").url == "/accounts/2fa/totp/activate/"
    _with_app(staff)
    assert browser.get("/").status_code == 200

    settings.FORUM_STAFF_MFA_REQUIRED = False
    member = factories.MemberFactory(username="Plain")
    browser.force_login(member)
    assert browser.get("/").status_code == 200
