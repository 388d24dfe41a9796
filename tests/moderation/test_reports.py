"""Members report posts; reports collect per post for the forum's moderators, who
resolve or reject them; reporters hear the outcome."""

from django.urls import reverse

from forum.moderation.models import Report
from forum.notifications.models import Alert
from tests import factories


def _post(board):
    return board.thread.posts.get(position=1)  # by the member


def test_a_member_reports_a_post_through_the_form_under_it(board, client):
    client.force_login(board.other)
    page = client.get(board.thread.get_absolute_url()).content.decode()
    report_url = reverse("moderation:report", args=[_post(board).pk])
    assert report_url in page

    response = client.post(report_url, {"reason": "Personal attack"})

    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.reporter, report.post, report.reason) == (
        board.other,
        _post(board),
        "Personal attack",
    )


def test_nobody_sees_a_report_link_under_their_own_post(board, client):
    client.force_login(board.author)
    page = client.get(board.thread.get_absolute_url()).content.decode()

    assert reverse("moderation:report", args=[_post(board).pk]) not in page


def test_reports_on_one_post_are_one_item_in_the_queue(board, client):
    third = factories.MemberFactory(username="Third")
    Report.objects.create(post=_post(board), reporter=board.other, reason="Rude")
    Report.objects.create(post=_post(board), reporter=third, reason="Insulting")
    client.force_login(board.mod_here)

    page = client.get(reverse("moderation:reports")).content.decode()

    assert page.count('class="block mod-item"') == 1
    assert "2 reports" in page and "Rude" in page and "Insulting" in page


def test_resolving_tells_every_reporter_the_outcome(board, client):
    third = factories.MemberFactory(username="Third")
    for who in (board.other, third):
        Report.objects.create(post=_post(board), reporter=who, reason="Rude")
    client.force_login(board.mod_here)

    client.post(
        reverse("moderation:handle_reports", args=[_post(board).pk]),
        {"outcome": "resolved", "note": "Edited out"},
    )

    assert set(Report.objects.values_list("status", flat=True)) == {"resolved"}
    for who in (board.other, third):
        alert = Alert.objects.get(user=who)
        assert "dealt with" in alert.text and "Edited out" in alert.text
    client.force_login(board.other)
    assert b"Edited out" in client.get(reverse("notifications:alerts")).content


def test_a_rejected_report_says_no_action_was_taken(board, client):
    Report.objects.create(post=_post(board), reporter=board.other, reason="Wrong")
    client.force_login(board.mod_here)

    client.post(
        reverse("moderation:handle_reports", args=[_post(board).pk]),
        {"outcome": "rejected"},
    )

    assert Report.objects.get().status == "rejected"
    assert "took no action" in Alert.objects.get(user=board.other).text


def test_reporting_is_rate_limited(board, client, settings):
    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "report": (2, 3600)}
    client.force_login(board.other)
    posts = [
        factories.reply(author=board.author, thread=board.thread) for _ in range(3)
    ]

    for post in posts:
        client.post(reverse("moderation:report", args=[post.pk]), {"reason": "Spam"})

    assert Report.objects.count() == 2
    response = client.post(
        reverse("moderation:report", args=[posts[2].pk]), {"reason": "Spam"}
    )
    assert b"Too many reports: at most 2 an hour." in response.content


def test_the_same_member_cannot_report_a_post_twice_while_open(board, client):
    client.force_login(board.other)
    url = reverse("moderation:report", args=[_post(board).pk])
    client.post(url, {"reason": "Rude"})

    response = client.post(url, {"reason": "Still rude"})

    assert Report.objects.count() == 1
    assert b"already reported" in response.content


def test_a_moderator_of_another_forum_does_not_see_these_reports(board, client):
    Report.objects.create(post=_post(board), reporter=board.other, reason="Rude")
    client.force_login(board.mod_other)

    assert b"Rude" not in client.get(reverse("moderation:reports")).content


def test_reports_can_be_resolved_in_the_admin(board, client):
    report = Report.objects.create(post=_post(board), reporter=board.other, reason="X")
    root = factories.MemberFactory(username="Root", is_staff=True, is_superuser=True)
    client.force_login(root)

    client.post(
        reverse("admin:moderation_report_changelist"),
        {"action": "resolve_reports", "_selected_action": [report.pk]},
    )

    report.refresh_from_db()
    assert report.status == "resolved"
    assert Alert.objects.filter(user=board.other).exists()
