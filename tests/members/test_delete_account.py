"""Deleting an account anonymizes the member and keeps their posts."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage

from accounts import services
from forum.members import services as member_services
from tests import factories
from tests.accounts.imagedata import image_bytes

User = get_user_model()
DELETE_URL = "/account/delete"


def test_delete_account_keeps_posts_under_deleted_member_name(
    member_client, member, other_member, forum_node
):
    thread = factories.make_thread(author=member, node=forum_node, title="Old tales")
    factories.reply(author=other_member, thread=thread)
    post = factories.reply(author=member, thread=thread, body="Still here after I go")
    User.objects.filter(pk=member.pk).update(
        country="PK", location="Quetta", about="About me", custom_title="Skipper"
    )

    response = member_client.post(DELETE_URL, {"password": "demo-password"})

    assert response.status_code == 302
    member.refresh_from_db()
    name = f"Deleted member {member.pk}"
    assert member.username == name
    assert member.email == ""
    assert (member.country, member.location, member.about) == ("", "", "")
    assert member.custom_title == ""
    assert not member.has_usable_password()
    assert not member.is_active
    assert member.is_deleted_member
    assert not EmailAddress.objects.filter(user=member).exists()
    post.refresh_from_db()
    assert post.author_name == name
    thread.refresh_from_db()
    assert thread.starter_name == name
    assert thread.last_poster_name == name
    page = member_client.get(thread.get_absolute_url()).content.decode()
    assert "Still here after I go" in page
    assert name in page
    assert "Reader" not in page
    assert "Quetta" not in page


def test_deleted_member_is_logged_out_and_cannot_log_in(client, member):
    client.force_login(member)
    client.post(DELETE_URL, {"password": "demo-password"})

    assert "_auth_user_id" not in client.session
    response = client.post(
        "/accounts/login/", {"login": "reader@example.com", "password": "demo-password"}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_wrong_password_deletes_nothing(member_client, member):
    response = member_client.post(DELETE_URL, {"password": "guess"})

    assert response.status_code == 200
    assert "That is not your password" in response.content.decode()
    member.refresh_from_db()
    assert member.username == "Reader"
    assert member.is_active


def test_delete_page_asks_for_password_with_a_label(member_client):
    page = member_client.get(DELETE_URL).content.decode()

    assert '<label for="id_password">' in page
    assert 'type="password"' in page


def test_failure_half_way_leaves_the_account_untouched(member, thread, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(member_services, "rename_content", broken)

    with pytest.raises(RuntimeError):
        member_services.delete_account(member=member)

    member.refresh_from_db()
    assert member.username == "Reader"
    assert member.is_active
    assert EmailAddress.objects.filter(user=member).exists()
    assert thread.posts.get(position=0).author_name == "Reader"


def test_delete_account_removes_avatar_files(
    member, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        prefix = services.set_avatar(member=member, data=image_bytes(), filename="")
    assert default_storage.exists(f"{prefix}-96.webp")

    with django_capture_on_commit_callbacks(execute=True):
        member_services.delete_account(member=member)

    assert not default_storage.exists(f"{prefix}-96.webp")
    member.refresh_from_db()
    assert member.avatar == ""
