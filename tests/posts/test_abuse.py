"""Abuse: flood control, double submits, and "next" parameters that leave the site."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.utils import timezone

from forum.posts.models import Post
from forum.threads.models import Thread
from tests import factories

User = get_user_model()


@pytest.fixture
def flood(settings):
    settings.FORUM_FLOOD_SECONDS = 60
    settings.FORUM_FLOOD_SECONDS_NEW_MEMBER = 600
    settings.FORUM_NEW_MEMBER_POSTS = 5
    return settings


def set_member(member, *, messages: int, last_post_seconds_ago: int | None):
    last = (
        None
        if last_post_seconds_ago is None
        else timezone.now() - timedelta(seconds=last_post_seconds_ago)
    )
    User.objects.filter(pk=member.pk).update(message_count=messages, last_post_at=last)


def page(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


# Flood control


def test_second_post_within_the_flood_window_is_refused_and_kept(
    member_client, thread, member, flood
):
    set_member(member, messages=50, last_post_seconds_ago=None)
    first = member_client.post(thread.get_reply_url(), {"body": "First thought."})

    second = member_client.post(thread.get_reply_url(), {"body": "Second thought."})

    assert first.status_code == 302
    soup = page(second)
    assert "You must wait" in soup.select_one(".form-errors").get_text()
    assert soup.select_one("textarea[name=body]").get_text().strip() == (
        "Second thought."
    )
    assert not Post.objects.filter(body="Second thought.").exists()


def test_new_thread_within_the_flood_window_is_refused_and_kept(
    member_client, forum_node, member, flood
):
    set_member(member, messages=50, last_post_seconds_ago=10)

    response = member_client.post(
        forum_node.get_post_thread_url(), {"title": "Hasty", "body": "Quick one."}
    )

    soup = page(response)
    assert "You must wait" in soup.select_one(".form-errors").get_text()
    assert soup.select_one("input[name=title]")["value"] == "Hasty"
    assert soup.select_one("textarea[name=body]").get_text().strip() == "Quick one."
    assert not Thread.objects.filter(title="Hasty").exists()


def test_member_may_post_again_after_the_flood_window(
    member_client, thread, member, flood
):
    set_member(member, messages=50, last_post_seconds_ago=61)

    response = member_client.post(thread.get_reply_url(), {"body": "Later on."})

    assert response.status_code == 302
    assert Post.objects.filter(body="Later on.").exists()


def test_new_members_wait_longer_between_posts(
    member_client, thread, member, other_member, flood
):
    # Both posted 2 minutes ago: past the usual wait, inside the new-member wait.
    set_member(member, messages=1, last_post_seconds_ago=120)
    set_member(other_member, messages=5, last_post_seconds_ago=120)
    from django.test import Client

    established = Client()
    established.force_login(other_member)

    newcomer = member_client.post(thread.get_reply_url(), {"body": "Newcomer here."})
    regular = established.post(thread.get_reply_url(), {"body": "Regular here."})

    assert "You must wait" in page(newcomer).select_one(".form-errors").get_text()
    assert regular.status_code == 302
    assert list(
        Post.objects.filter(thread=thread, position__gt=0).values_list(
            "body", flat=True
        )
    ) == ["Regular here."]


def test_staff_are_not_flood_limited(client, thread, staff, flood):
    set_member(staff, messages=0, last_post_seconds_ago=1)
    client.force_login(staff)

    response = client.post(thread.get_reply_url(), {"body": "Moderator note."})

    assert response.status_code == 302


# Double submits


def test_double_submitted_reply_makes_one_post_and_both_land_on_it(
    member_client, thread, member, flood
):
    factories.wait_out_flood(member)
    body = {"body": "Clicked twice by accident."}

    first = member_client.post(thread.get_reply_url(), body)
    second = member_client.post(thread.get_reply_url(), body)

    post = Post.objects.get(body="Clicked twice by accident.")
    assert first["Location"] == second["Location"] == post.get_thread_url()
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_double_submitted_thread_makes_one_thread(
    member_client, forum_node, member, flood
):
    form = {"title": "Budget 2025", "body": "Defence gets 2.1 trillion."}

    first = member_client.post(forum_node.get_post_thread_url(), form)
    second = member_client.post(forum_node.get_post_thread_url(), form)

    thread = Thread.objects.get(title="Budget 2025")
    assert first["Location"] == second["Location"] == thread.get_absolute_url()
    forum_node.refresh_from_db()
    assert forum_node.thread_count == 1


def test_same_text_after_the_duplicate_window_is_a_new_post(
    member_client, thread, member, settings
):
    settings.FORUM_FLOOD_SECONDS = 0
    settings.FORUM_FLOOD_SECONDS_NEW_MEMBER = 0
    factories.wait_out_flood(member)
    member_client.post(thread.get_reply_url(), {"body": "Bump."})
    Post.objects.filter(body="Bump.").update(
        created_at=timezone.now()
        - timedelta(seconds=settings.FORUM_DUPLICATE_WINDOW_SECONDS + 1)
    )

    member_client.post(thread.get_reply_url(), {"body": "Bump."})

    assert Post.objects.filter(body="Bump.").count() == 2


# Redirects that must stay on the site

OFF_SITE = ["https://evil.example/", "//evil.example/", "https:/\\evil.example/"]


def assert_on_site(location: str) -> None:
    assert location.startswith("/")
    assert not location.startswith("//")
    assert "evil.example" not in location


@pytest.mark.parametrize("target", OFF_SITE)
def test_delete_never_redirects_off_site(member_client, thread, member, target):
    reply = factories.reply(author=member, thread=thread)

    response = member_client.post(
        f"/posts/{reply.pk}/delete?next={target}", {"reason": "", "next": target}
    )

    assert response.status_code == 302
    assert_on_site(response["Location"])
    assert response["Location"] == thread.get_absolute_url()
    assert Post.objects.get(pk=reply.pk).is_deleted


def test_delete_follows_a_next_on_this_site(member_client, thread, member, forum_node):
    reply = factories.reply(author=member, thread=thread)
    target = forum_node.get_absolute_url()

    form = page(member_client.get(f"/posts/{reply.pk}/delete?next={target}"))
    carried = form.select_one("input[name=next]")["value"]
    response = member_client.post(
        f"/posts/{reply.pk}/delete", {"reason": "", "next": carried}
    )

    assert response["Location"] == target


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_redirects_off_site(client, member, target):
    response = client.post(
        f"/accounts/login/?next={target}",
        {"login": "Reader", "password": "demo-password", "next": target},
    )

    assert response.status_code == 302
    assert_on_site(response["Location"])
    assert client.get("/").wsgi_request.user == member


def test_login_follows_a_next_on_this_site(client, member, thread):
    target = thread.get_absolute_url()

    response = client.post(
        f"/accounts/login/?next={target}",
        {"login": "Reader", "password": "demo-password", "next": target},
    )

    assert response["Location"] == target
