"""A moderator's form refused for its input comes back with what was typed."""

from django.urls import reverse

from forum.moderation.models import Ban, MemberWarning, Report
from tests.core.keptpages import page_text, soup

REASON = "Repeated personal attacks in three threads"


def _errors(response) -> str:
    box = soup(response).select_one(".form-errors")
    assert box is not None, "no error box on the page"
    return box.get_text(" ", strip=True)


def test_a_warning_with_bad_points_keeps_the_reason(board, client):
    client.force_login(board.admin)

    response = client.post(
        reverse("moderation:warn", args=[board.author.pk]),
        {"points": "0", "reason": REASON, "days": "30"},
    )

    assert response.status_code == 400
    assert "Points" in _errors(response)
    form = soup(response).select_one(f"form[action='{response.request['PATH_INFO']}']")
    assert form.select_one("input[name=reason]")["value"] == REASON
    assert form.select_one("input[name=points]")["value"] == "0"
    assert not MemberWarning.objects.exists()


def test_a_ban_with_a_bad_length_keeps_the_reason(board, client):
    client.force_login(board.admin)

    response = client.post(
        reverse("moderation:ban", args=[board.author.pk]),
        {"reason": REASON, "days": "0"},
    )

    assert response.status_code == 400
    assert "Length in days" in _errors(response)
    form = soup(response).select_one(f"form[action='{response.request['PATH_INFO']}']")
    assert form.select_one("input[name=reason]")["value"] == REASON
    assert not Ban.objects.exists()


def test_a_spam_clean_up_asks_first_and_keeps_the_reason(board, client):
    client.force_login(board.admin)

    response = client.post(
        reverse("moderation:spam_clean", args=[board.author.pk]), {"reason": REASON}
    )

    assert response.status_code == 200
    form = soup(response).select_one(f"form[action='{response.request['PATH_INFO']}']")
    assert form.select_one("input[name=confirm]")["value"] == "1"
    assert form.select_one("input[name=reason]")["value"] == REASON
    assert "Ban Author permanently." in page_text(response)
    assert not Ban.objects.exists()


def test_the_post_action_bar_without_a_selection_keeps_the_reason(board, client):
    client.force_login(board.mod_here)
    url = board.thread.get_absolute_url()

    response = client.post(
        reverse("moderation:inline_posts", args=[board.thread.pk]),
        {"action": "delete", "reason": REASON, "next": url},
    )

    assert response.status_code == 400
    assert "Select at least one post." in page_text(response)
    assert soup(response).select_one("input[readonly]")["value"] == REASON
    assert soup(response).select_one(f"a[href='{url}']") is not None


def test_closing_reports_without_an_outcome_keeps_the_note(board, client):
    post = board.thread.posts.get(position=1)
    Report.objects.create(post=post, reporter=board.other, reason="Rude")
    client.force_login(board.mod_here)

    response = client.post(
        reverse("moderation:handle_reports", args=[post.pk]),
        {"outcome": "", "note": "Warned them, thanks for the report"},
    )

    assert response.status_code == 400
    assert "Choose an outcome." in page_text(response)
    assert soup(response).select_one("input[readonly]")["value"] == (
        "Warned them, thanks for the report"
    )
    assert Report.objects.filter(status="open").count() == 1


def test_a_refusal_without_typed_text_still_goes_back_with_a_message(board, client):
    client.force_login(board.mod_here)

    response = client.post(
        reverse("moderation:inline_posts", args=[board.thread.pk]),
        {"action": "delete"},
    )

    assert response.status_code == 302
