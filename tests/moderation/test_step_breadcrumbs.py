"""Every page that asks before a change (delete a post, the moderators'
confirmation step, move, merge, report, edit, delete my account) carries the
breadcrumb back to what it acts on, as the pages around it do."""

from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _crumbs(response) -> list[tuple[str, str]]:
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        (a.get_text(), a["href"]) for a in soup.select('nav[aria-label="Breadcrumb"] a')
    ]


def _to_thread(board) -> list[tuple[str, str]]:
    return [
        ("Forums", "/"),
        ("Defence", board.category.get_absolute_url()),
        ("Army", board.forum.get_absolute_url()),
        ("Tanks", board.thread.get_absolute_url()),
    ]


def test_the_confirmation_of_a_thread_or_posts_delete_leads_to_the_thread(board):
    moderator = _as(board.mod_here)
    thread_url = reverse("moderation:thread_action", args=[board.thread.pk, "delete"])
    assert _crumbs(moderator.post(thread_url, {"reason": "Dup"})) == _to_thread(board)
    ids = [p.pk for p in board.thread.posts.filter(position__gt=0)]
    posts_url = reverse("moderation:inline_posts", args=[board.thread.pk])
    asked = moderator.post(posts_url, {"action": "delete", "post_ids": ids})
    assert _crumbs(asked) == _to_thread(board)


def test_the_confirmation_of_a_ban_leads_to_the_members_tools(board):
    asked = _as(board.admin).post(
        reverse("moderation:ban", args=[board.other.pk]),
        {"reason": "Trolling", "days": 7},
    )
    assert _crumbs(asked) == [
        ("Forums", "/"),
        ("Moderation", reverse("moderation:index")),
        ("Bystander", reverse("moderation:member", args=[board.other.pk])),
    ]


def test_delete_edit_report_move_and_merge_pages_lead_to_the_thread(board):
    reply = board.thread.posts.get(position=1)
    author, moderator = _as(board.author), _as(board.mod_here)
    for client, url in (
        (author, reverse("posts:delete", args=[reply.pk])),
        (author, reverse("posts:edit", args=[reply.pk])),
        (_as(board.other), reverse("moderation:report", args=[reply.pk])),
        (moderator, reverse("moderation:move_thread", args=[board.thread.pk])),
        (moderator, reverse("moderation:merge_thread", args=[board.thread.pk])),
    ):
        assert _crumbs(client.get(url)) == _to_thread(board), url


def test_the_account_deletion_page_has_a_breadcrumb(board):
    page = _as(board.author).get(reverse("members:account_delete"))
    assert _crumbs(page) == [
        ("Forums", "/"),
        ("Account settings", reverse("members:account_profile")),
    ]
