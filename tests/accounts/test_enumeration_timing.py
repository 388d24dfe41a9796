"""Sign-up and password reset take as long for an address that belongs to a
member as for one that does not, so timing tells an outsider nothing the page
does not (ACCOUNT_PREVENT_ENUMERATION makes the pages alike)."""

import statistics
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from forum.core.models import OutgoingMail
from tests import factories

User = get_user_model()
PASSWORD = "Kestrel-Harbour-42"
SAMPLES = 8  # a sign-up with the real hasher takes about half a second
RESET_SAMPLES = 24  # a reset takes milliseconds: more samples steady the median


@pytest.fixture
def real_hasher(settings):
    """The production hasher (the suite uses MD5 for speed), and no rate limits:
    they are not what is measured."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    settings.ACCOUNT_RATE_LIMITS = False
    settings.FORUM_RATE_LIMITS_ENABLED = False


def timed(client, path, data) -> float:
    started = time.perf_counter()
    response = client.post(path, data)
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, response.content[:500]
    return elapsed


def assert_alike(known: list[float], unknown: list[float]) -> None:
    ratio = statistics.median(known) / statistics.median(unknown)
    assert 0.7 <= ratio <= 1.4, (ratio, known, unknown)


def signup(n: int, email: str) -> dict:
    return {
        "username": f"Newcomer {n}",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
    }


def test_signup_takes_as_long_for_a_taken_address_as_for_a_new_one(db, real_hasher):
    factories.MemberFactory(username="Reader", email="reader@example.com")
    client = Client()
    known, unknown = [], []
    # One of each first, unmeasured (templates, the common-password list), then
    # the two kinds in turn, so a busy machine slows both alike.
    for n in range(SAMPLES + 1):
        taken = timed(client, "/accounts/signup/", signup(2 * n, "reader@example.com"))
        new = timed(client, "/accounts/signup/", signup(2 * n + 1, f"n{n}@example.com"))
        if n:
            known.append(taken)
            unknown.append(new)

    assert_alike(known, unknown)
    # Both kinds queued a mail: the member is told someone tried their address.
    assert OutgoingMail.objects.filter(to=["reader@example.com"]).count() == (
        SAMPLES + 1
    )
    assert User.objects.count() == SAMPLES + 2


def test_password_reset_takes_as_long_for_a_known_address_as_for_an_unknown_one(
    db, real_hasher
):
    factories.MemberFactory(username="Reader", email="reader@example.com")
    client = Client()
    known, unknown = [], []
    for n in range(RESET_SAMPLES + 1):
        member = timed(
            client, "/accounts/password/reset/", {"email": "reader@example.com"}
        )
        nobody = timed(
            client, "/accounts/password/reset/", {"email": f"nobody{n}@example.com"}
        )
        if n:
            known.append(member)
            unknown.append(nobody)

    assert_alike(known, unknown)
    # Both kinds queued a mail: a reset link, or "no account uses this address".
    assert OutgoingMail.objects.count() == 2 * (RESET_SAMPLES + 1)
