"""Failed logins are limited per account and address: an attacker guessing a
member's password is refused, the member signing in from elsewhere is not."""

import pytest
from django.test import Client

from forum.core import ratelimit
from tests import factories

LOGIN = "/accounts/login/"
RIGHT = "demo-password"
ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"


@pytest.fixture
def clock(monkeypatch):
    """The rate limiter's clock, at the start of an hour (so no window ends
    while a test runs) and moved on by hand."""
    now = {"t": 1_700_000_000 - 1_700_000_000 % 3600 + 1.0}
    monkeypatch.setattr(ratelimit, "_now", lambda: now["t"])
    return now


@pytest.fixture
def owner(db):
    return factories.MemberFactory(username="Reader")


def attempt(client, password, login="Reader", address=ATTACKER, next_url=None):
    data = {"login": login, "password": password}
    path = LOGIN
    if next_url:
        data["next"] = next_url
        path = f"{LOGIN}?next={next_url}"
    return client.post(path, data, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(times, login="Reader", address=ATTACKER):
    client = Client()
    for n in range(times):
        attempt(client, f"guess-{n}", login=login, address=address)
    return client


def test_twenty_failures_from_one_address_do_not_keep_the_owner_out(owner, clock):
    fail(20)

    owner_browser = Client()
    response = attempt(owner_browser, RIGHT, address=OWNER)

    assert response.status_code == 302
    assert signed_in(owner_browser)


def test_the_attacker_is_refused_clearly_with_the_form_filled(owner, clock):
    client = fail(5)

    response = attempt(client, "guess-again")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Too many failed sign-ins to this account from here" in page
    assert "try again in 15 minutes" in page
    assert 'value="Reader"' in page
    assert "not correct" not in page  # the guess was not even checked


def test_the_right_password_from_the_failing_address_waits_for_the_window(owner, clock):
    client = fail(5)

    attempt(client, RIGHT)
    assert not signed_in(client)  # else each refusal would still grade a guess

    clock["t"] += 900
    response = attempt(client, RIGHT)
    assert response.status_code == 302
    assert signed_in(client)


def test_the_owners_own_mistakes_are_forgiven_once_they_sign_in(owner, clock):
    client = Client()
    for _ in range(2):
        for n in range(4):
            attempt(client, f"typo-{n}", address=OWNER)
        assert attempt(client, RIGHT, address=OWNER).status_code == 302
        assert signed_in(client)
        client.logout()


def test_an_attacker_rotating_addresses_gets_one_try_per_address(owner, clock):
    for n in range(20):  # 20 addresses, one failure each: the soft limit
        fail(1, address=f"192.0.2.{n}")

    again = attempt(Client(), "guess-more", address="192.0.2.3")
    assert "each address gets one try for now" in again.content.decode()
    assert 'value="Reader"' in again.content.decode()

    # The owner, from an address that has not failed, signs in.
    owner_browser = Client()
    assert attempt(owner_browser, RIGHT, address=OWNER).status_code == 302
    assert signed_in(owner_browser)


def test_a_browser_that_signed_in_before_is_not_held_back_by_its_address(owner, clock):
    first_visit = Client()
    attempt(first_visit, RIGHT, address=OWNER)
    # Signed out later (the session is gone); the browser keeps its cookie.
    browser = Client()
    browser.cookies["known_browser"] = first_visit.cookies["known_browser"].value

    # Someone behind the same address (an office, a mobile network) guesses
    # until that address is refused, and many others guess from elsewhere.
    fail(5, address=OWNER)
    for n in range(20):
        fail(1, address=f"192.0.2.{n}")
    stranger = Client()
    assert "Too many" in attempt(stranger, RIGHT, address=OWNER).content.decode()
    assert not signed_in(stranger)

    response = attempt(browser, RIGHT, address=OWNER)
    assert response.status_code == 302
    assert signed_in(browser)


def test_a_forged_known_browser_cookie_counts_for_nothing(owner, clock):
    client = fail(5)
    client.cookies["known_browser"] = "forged"

    assert "Too many" in attempt(client, RIGHT).content.decode()
    assert not signed_in(client)


def test_an_unknown_login_is_limited_exactly_like_a_member(db, clock):
    client = fail(5, login="Nobody At All")

    response = attempt(client, "guess", login="Nobody At All")

    assert "Too many failed sign-ins to this account from here" in (
        response.content.decode()
    )


def test_the_admin_login_is_the_same_form_with_the_same_limit(owner, clock):
    owner.is_staff = True
    owner.save()
    client = fail(5)

    admin_login = client.post(
        "/admin/login/?next=/admin/",
        {"username": "Reader", "password": RIGHT},
        REMOTE_ADDR=ATTACKER,
    )
    assert admin_login.status_code == 302
    assert admin_login["Location"].startswith(LOGIN)
    assert not signed_in(client)
    response = attempt(client, RIGHT, next_url="/admin/")
    assert "Too many failed sign-ins" in response.content.decode()
    assert not signed_in(client)

    owner_browser = Client()
    response = attempt(owner_browser, RIGHT, address=OWNER, next_url="/admin/")
    assert response["Location"] == "/admin/"
    assert owner_browser.get("/admin/", REMOTE_ADDR=OWNER).status_code == 200


def test_switched_off_no_failure_is_counted(owner, clock, settings):
    settings.FORUM_RATE_LIMITS_ENABLED = False
    settings.ACCOUNT_RATE_LIMITS = False
    client = fail(20)

    attempt(client, RIGHT)

    assert signed_in(client)


def test_one_address_trying_many_accounts_is_refused_by_address(db, clock):
    client = Client()
    for n in range(10):
        attempt(client, "guess", login=f"someone-{n}")

    response = attempt(client, "guess", login="someone-else")

    page = response.content.decode()
    assert "Too many failed sign-ins from your address" in page
    assert 'value="someone-else"' in page
