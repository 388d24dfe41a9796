"""Account settings: the profile form saves what it should and explains refusals."""

from django.contrib.auth import get_user_model

User = get_user_model()
PROFILE_URL = "/account/profile"


def profile_data(**overrides):
    data = {
        "country": "PK",
        "location": "Karachi",
        "website": "https://example.com/me",
        "about": "I write about [b]naval history[/b].",
        "signature": "[i]Fair winds[/i]",
        "theme": "dark",
        "show_last_seen": "on",
    }
    data.update(overrides)
    return data


def test_profile_settings_save_and_render_bbcode_once(member_client, member):
    response = member_client.post(PROFILE_URL, profile_data())

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.country.code == "PK"
    assert member.location == "Karachi"
    assert member.website == "https://example.com/me"
    assert member.about_html == "I write about <strong>naval history</strong>."
    assert "<em>Fair winds</em>" in member.signature_html
    assert member.theme == "dark"
    assert member.show_last_seen is True
    page = member_client.get(member.get_absolute_url()).content.decode()
    assert "<strong>naval history</strong>" in page
    assert "<em>Fair winds</em>" in page


def test_theme_setting_reaches_the_page(member_client, member):
    member_client.post(PROFILE_URL, profile_data(theme="light"))

    page = member_client.get("/members/").content.decode()
    assert 'data-theme="light"' in page


def test_too_long_location_is_refused_with_message_and_form_refilled(
    member_client, member
):
    long_location = "A very long place name that goes on and on past fifty"
    response = member_client.post(
        PROFILE_URL, profile_data(location=long_location, about="Kept text")
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Location can be at most 50 characters long; yours has 53" in page
    assert f'value="{long_location}"' in page
    assert "Kept text</textarea>" in page
    member.refresh_from_db()
    assert member.location == ""
    assert member.about == ""


def test_too_long_signature_is_refused(member_client, member):
    response = member_client.post(PROFILE_URL, profile_data(signature="x" * 501))

    assert "Your signature can be at most 500 characters long" in (
        response.content.decode()
    )
    member.refresh_from_db()
    assert member.signature == ""


def test_website_must_be_a_web_address(member_client, member):
    response = member_client.post(
        PROFILE_URL, profile_data(website="javascript:alert(1)")
    )

    assert "Please enter a web address" in response.content.decode()
    member.refresh_from_db()
    assert member.website == ""


def test_website_without_scheme_gets_https(member_client, member):
    member_client.post(PROFILE_URL, profile_data(website="example.org"))

    member.refresh_from_db()
    assert member.website == "https://example.org"


def test_unclosed_bbcode_in_about_is_explained(member_client, member):
    response = member_client.post(PROFILE_URL, profile_data(about="[b]bold"))

    assert response.status_code == 200
    assert "[b]" in response.content.decode()
    member.refresh_from_db()
    assert member.about == ""


def test_settings_form_shows_current_values(member_client, member):
    member_client.post(PROFILE_URL, profile_data())

    page = member_client.get(PROFILE_URL).content.decode()
    assert 'value="Karachi"' in page
    assert '<option value="PK" selected>' in page
    for field in ("country", "location", "website", "about", "signature", "theme"):
        assert f'<label for="id_{field}">' in page
    assert 'href="/accounts/email/"' in page
    assert 'href="/accounts/password/change/"' in page


def test_settings_need_login(client, db):
    response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_settings_post_needs_csrf_token(member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    assert client.post(PROFILE_URL, profile_data()).status_code == 403


def test_combining_mark_floods_in_profile_text_are_trimmed(member_client, member):
    tower = "\u0301" * 40
    response = member_client.post(
        PROFILE_URL,
        profile_data(
            location=f"Hà Nội{tower}",
            about=f"Xin chào{tower}",
            signature=f"[i]ก{'้' * 60}[/i]",
        ),
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.location == "Hà Nội\u0301\u0301\u0301\u0301"
    assert member.about_html == "Xin chào\u0301\u0301\u0301\u0301"
    assert member.signature_html == f"<em>ก{'้' * 4}</em>"
