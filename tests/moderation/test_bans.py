"""Warnings add up to a temporary ban; moderators ban by hand; a banned member
reads but cannot post, react or report, and sees why on every page."""

from datetime import timedelta

from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forum.moderation.models import Ban, MemberWarning, ModeratorLog, Report
from forum.moderation.services import community
from forum.policy import can_reply, is_banned
from tests import factories


def test_warnings_reaching_ten_points_ban_for_seven_days(board):
    community.warn_member(
        actor=board.mod_here, member=board.author, points=6, reason="Insults"
    )
    assert not is_banned(board.author)

    result = community.warn_member(
        actor=board.mod_here, member=board.author, points=4, reason="Again"
    )

    assert result.points == 10
    assert result.ban is not None
    assert result.ban.expires_at - timezone.now() > timedelta(days=6, hours=23)
    assert is_banned(board.author)
    assert not can_reply(board.author, board.thread)


def test_expired_warnings_do_not_count(board):
    MemberWarning.objects.create(
        member=board.author,
        points=9,
        reason="Old",
        expires_at=timezone.now() - timedelta(days=1),
    )

    result = community.warn_member(
        actor=board.mod_here, member=board.author, points=2, reason="New"
    )

    assert result.points == 2 and result.ban is None


def test_a_warned_member_gets_an_alert(board, client):
    client.force_login(board.mod_here)
    client.post(
        reverse("moderation:warn", args=[board.author.pk]),
        {"points": 3, "reason": "Off-topic spam", "days": 30},
    )

    client.force_login(board.author)
    assert b"Off-topic spam" in client.get(reverse("notifications:alerts")).content


def test_a_banned_member_cannot_reply_react_or_report(board, client):
    community.ban_member(actor=board.admin, member=board.other, reason="Trolling")
    client.force_login(board.other)
    post = board.thread.posts.get(position=1)
    like = factories.default_reaction_types()["Like"]

    client.post(board.thread.get_reply_url(), {"body": "Let me in"})
    client.post(reverse("posts:react", args=[post.pk]), {"reaction": like.pk})
    report = client.post(
        reverse("moderation:report", args=[post.pk]), {"reason": "x"}, follow=True
    )

    assert not board.thread.posts.filter(author=board.other, body="Let me in").exists()
    assert not post.reactions.exists()
    assert not Report.objects.filter(post=post).exists()
    # The ban middleware sends every form post to the page that gives the reason.
    assert report.redirect_chain[-1][0] == reverse("moderation:banned")
    assert b"Trolling" in report.content


def test_a_banned_member_sees_the_reason_on_every_page(
    board, client, moderation_middleware
):
    community.ban_member(
        actor=board.admin, member=board.other, reason="Trolling", days=3
    )
    client.force_login(board.other)

    for url in ("/", board.thread.get_absolute_url(), board.forum.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "You have been banned until" in page and "Trolling" in page


def test_a_banned_members_forms_are_turned_away(board, client, moderation_middleware):
    community.ban_member(actor=board.admin, member=board.other, reason="Trolling")
    client.force_login(board.other)

    response = client.post(board.thread.get_reply_url(), {"body": "Sneaky"})

    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:banned")
    assert b"Trolling" in client.get(response["Location"]).content


def test_the_ban_check_costs_a_normal_member_no_query(
    board, client, moderation_middleware, settings
):
    client.force_login(board.author)
    client.get("/")  # warm the permission table
    without = [m for m in settings.MIDDLEWARE if "BanMiddleware" not in m]

    with CaptureQueriesContext(connection) as with_check:
        client.get("/")
    settings.MIDDLEWARE = without
    with CaptureQueriesContext(connection) as without_check:
        client.get("/")

    assert len(with_check) == len(without_check)


def test_a_ban_ends_by_itself(board):
    ban = community.ban_member(
        actor=board.admin, member=board.other, reason="x", days=1
    )
    Ban.objects.filter(pk=ban.pk).update(expires_at=timezone.now() - timedelta(1))
    from forum.policy import snapshot as policy

    policy.bump_version()
    assert not is_banned(board.other)


def test_lifting_a_ban_from_the_member_page(board, client):
    community.ban_member(actor=board.admin, member=board.other, reason="x")
    client.force_login(board.admin)

    client.post(reverse("moderation:lift_ban", args=[board.other.pk]))

    assert not is_banned(board.other)
    assert ModeratorLog.objects.filter(action="lift_ban").exists()


def test_a_forum_moderator_may_warn_but_not_ban(board, client):
    client.force_login(board.mod_here)
    page = client.get(reverse("moderation:member", args=[board.author.pk]))

    assert b"Warn" in page.content
    assert (
        reverse("moderation:ban", args=[board.author.pk]).encode() not in page.content
    )


def test_staff_and_moderators_cannot_be_warned_or_banned(board, client):
    client.force_login(board.admin)

    assert (
        client.get(reverse("moderation:member", args=[board.mod_here.pk])).status_code
        == 403
    )


def test_a_member_banned_while_typing_gets_the_reason_and_the_text_back(
    board, client, moderation_middleware
):
    typed = "A long reply, written before the ban came down."
    client.force_login(board.other)
    community.ban_member(actor=board.admin, member=board.other, reason="Trolling")

    response = client.post(
        board.thread.get_reply_url(),
        {"body": typed},
        HTTP_ORIGIN="http://testserver",  # sent from the forum's own page
    )

    assert response.status_code == 403
    page = BeautifulSoup(response.content, "html.parser")
    assert "Trolling" in page.get_text()
    assert page.select_one("textarea[readonly]").get_text().strip() == typed
    assert page.select_one(f"a[href='{reverse('moderation:banned')}']")
    assert not board.thread.posts.filter(body=typed).exists()
