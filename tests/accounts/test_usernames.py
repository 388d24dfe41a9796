"""Username rules at sign-up: each broken rule refuses the name with its message."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from accounts.adapter import AccountAdapter
from accounts.validators import normalize_username, username_skeleton
from tests import factories

User = get_user_model()
PASSWORD = "Kestrel-Harbour-42"


def sign_up(client, username, email="new@example.com"):
    return client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def refusal(username) -> str:
    with pytest.raises(ValidationError) as caught:
        AccountAdapter().clean_username(username)
    return " ".join(caught.value.messages)


@pytest.fixture
def windjammer(db):
    return factories.MemberFactory(username="Windjammer")


def test_same_name_in_other_case_is_refused_on_the_signup_page(client, windjammer):
    response = sign_up(client, "windjammer")

    assert response.status_code == 200
    assert "already taken" in response.content.decode()
    assert User.objects.filter(username__iexact="windjammer").count() == 1


def test_cyrillic_look_alike_of_an_existing_name_is_refused(client, windjammer):
    # "Wіndjammer" with a Cyrillic і: the same skeleton as the existing name, and
    # refused (as mixed-script, the first rule it breaks).
    assert username_skeleton("W\u0456ndjammer") == username_skeleton("Windjammer")
    assert "mix Latin, Cyrillic" in refusal("W\u0456ndjammer")
    factories.MemberFactory(username="Baxa")

    response = sign_up(client, "\u0412\u0430\u0445\u0430")  # all-Cyrillic "Ваха"

    page = response.content.decode()
    assert "looks too much like the existing member “Baxa”" in page
    assert not User.objects.filter(username="\u0412\u0430\u0445\u0430").exists()


def test_mixed_script_name_gets_its_own_message_on_the_page(client, windjammer):
    response = sign_up(client, "W\u0456ndjammer")

    page = response.content.decode()
    assert "cannot mix Latin, Cyrillic and Greek letters" in page
    assert not User.objects.filter(username="W\u0456ndjammer").exists()


def test_greek_look_alike_is_refused(windjammer):
    factories.MemberFactory(username="Kappa")

    assert "looks too much like" in refusal("\u039a\u03b1\u03c1\u03c1\u03b1")  # Καρρα


def test_capital_i_for_small_l_is_a_look_alike(windjammer):
    factories.MemberFactory(username="Bill")

    assert "looks too much like" in refusal("BiII")


def test_underscore_for_space_is_a_look_alike(windjammer):
    factories.MemberFactory(username="Sea Hawk")

    assert "looks too much like" in refusal("sea_hawk")


def test_zero_width_character_is_refused(client, db):
    response = sign_up(client, "Wind\u200bjammer")

    assert "invisible" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "name", ["Wind\u202ejammer", "Wind\u200djammer", "Wind\u2066jammer", "A\u0007bc"]
)
def test_direction_and_control_characters_are_refused(db, name):
    assert "invisible" in refusal(name)


@pytest.mark.parametrize(
    "name",
    [
        "admin",
        "Administrator",
        "MODERATOR",
        "staff",
        "Support",
        "system",
        "root",
        "Deleted member",
        "Deleted member 12",
        "deleted_member",
        "guest",
        "ADM1N",
    ],
)
def test_reserved_names_are_refused(db, name):
    assert "reserved" in refusal(name)


def test_reserved_name_message_is_shown_on_the_signup_page(client, db):
    response = sign_up(client, "Admin")

    assert "This name is reserved" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("ab", "at least 3 characters"),
        ("x" * 26, "at most 25 characters"),
        ("bob@home", "“@” is not allowed"),
        ("hello!", "“!” is not allowed"),
        ("___", "at least one letter or digit"),
    ],
)
def test_length_and_character_rules_have_clear_messages(db, name, message):
    assert message in refusal(name)


@pytest.mark.parametrize(
    "name",
    ["Windjammer", "Sea Hawk", "j.r_smith-2", "Ахмед", "Σωκράτης", "अमित", "علی"],
)
def test_ordinary_names_in_one_script_are_accepted(db, name):
    assert AccountAdapter().clean_username(name) == name


def test_names_are_nfkc_normalized_and_spaces_collapsed(db):
    # Full-width letters and a run of spaces come out as plain text.
    assert AccountAdapter().clean_username("\uff37ind   jammer ") == "Wind jammer"
    assert normalize_username("ﬁsh") == "fish"


def test_signup_stores_the_normalized_name_and_its_skeleton(client, db):
    sign_up(client, "  Sea   Hawk ")

    member = User.objects.get()
    assert member.username == "Sea Hawk"
    assert member.username_skeleton == username_skeleton("Sea Hawk")


def test_accepted_name_signs_up(client, windjammer):
    response = sign_up(client, "Seafarer")

    assert response.status_code == 302
    assert User.objects.filter(username="Seafarer").exists()
