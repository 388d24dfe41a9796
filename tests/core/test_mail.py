"""The outbox: mail is queued with the request's transaction, sent by the worker,
retried with growing waits while the server fails, given up after a few
attempts, and shown to staff."""

from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from forum.core import mail
from forum.core.models import OutgoingMail
from tests.outbox import SmtpServer, send_queued_mail, use_smtp

Status = OutgoingMail.Status


def queue(**overrides) -> OutgoingMail:
    fields = {
        "to": ["reader@example.com"],
        "subject": "Hello",
        "body": "Plain words.",
        "kind": "greeting",
    }
    fields.update(overrides)
    return mail.queue_mail(**fields)


def test_queued_mail_waits_for_the_worker_then_is_sent(db, mailoutbox):
    queued = queue(html_body="<p>Plain words.</p>")

    assert mailoutbox == []
    assert send_queued_mail() == ["sent"]

    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert (sent.to, sent.subject, sent.body) == (
        ["reader@example.com"],
        "Hello",
        "Plain words.",
    )
    assert sent.alternatives[0][0] == "<p>Plain words.</p>"
    queued.refresh_from_db()
    assert queued.status == Status.SENT and queued.sent_at is not None
    # The body (a sign-in link, perhaps) is not kept once it has gone.
    assert queued.body == queued.html_body == ""


def test_a_rendered_message_is_queued_whole(db, mailoutbox):
    message = EmailMultiAlternatives(
        "Subject line", "Text body", "forum@example.com", ["a@example.com"]
    )
    message.attach_alternative("<b>HTML body</b>", "text/html")
    mail.queue_message(message, kind="report")
    send_queued_mail()

    sent = mailoutbox[0]
    assert sent.from_email == "forum@example.com"
    assert sent.body == "Text body"
    assert sent.alternatives[0][0] == "<b>HTML body</b>"


def test_the_task_is_queued_only_when_the_transaction_commits(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            queued = queue()
            assert not DBTaskResult.objects.exists()

    task = DBTaskResult.objects.get()
    assert task.task_path == "forum.core.tasks.deliver_mail"
    assert task.args_kwargs["args"] == [queued.pk]


def test_a_rolled_back_request_queues_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            queue()
            raise RuntimeError("the request failed")

    assert not OutgoingMail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_failing_server_means_retries_with_growing_waits(db, settings):
    use_smtp(settings)  # nothing listens there
    settings.FORUM_MAIL_RETRY_SECONDS = 60
    queued = queue()
    waits = []
    for _ in range(3):
        before = timezone.now()
        assert mail.deliver(queued.pk) == "retrying"
        queued.refresh_from_db()
        waits.append(round((queued.next_attempt_at - before).total_seconds()))
        queued.next_attempt_at = timezone.now()  # the wait is over
        queued.save()

    assert waits == [60, 120, 240]
    assert queued.attempts == 3
    assert queued.status == Status.RETRYING
    assert "ConnectionRefusedError" in queued.last_error
    # Each failure queued the next attempt for when its wait ends.
    later = DBTaskResult.objects.filter(task_path="forum.core.tasks.deliver_mail")
    assert later.count() == 3
    assert all(t.run_after > timezone.now() for t in later)


def test_an_attempt_before_the_wait_is_over_does_nothing(db, settings):
    use_smtp(settings)
    queued = queue()
    mail.deliver(queued.pk)

    assert mail.deliver(queued.pk) == "skipped"
    queued.refresh_from_db()
    assert queued.attempts == 1


def test_mail_is_given_up_after_the_last_attempt(db, settings, caplog):
    use_smtp(settings)
    settings.FORUM_MAIL_MAX_ATTEMPTS = 2
    queued = queue()
    mail.deliver(queued.pk)
    OutgoingMail.objects.update(next_attempt_at=timezone.now())

    with caplog.at_level("ERROR", logger="forum.mail"):
        assert mail.deliver(queued.pk) == "failed"

    queued.refresh_from_db()
    assert queued.status == Status.FAILED and queued.next_attempt_at is None
    assert "given up after 2 attempts" in caplog.text
    assert mail.deliver(queued.pk) == "skipped"
    assert mail.undelivered_counts() == {"retrying": 0, "failed": 1}


def test_staff_send_given_up_mail_again_once_the_server_is_back(
    db, settings, admin_client
):
    port = use_smtp(settings)
    settings.FORUM_MAIL_MAX_ATTEMPTS = 1
    queued = queue()
    assert mail.deliver(queued.pk) == "failed"

    response = admin_client.post(
        "/admin/core/outgoingmail/",
        {"action": "send_again", "_selected_action": [queued.pk]},
        follow=True,
    )
    assert b"1 e-mail(s) queued to be sent again" in response.content
    with SmtpServer(port) as server:
        assert send_queued_mail() == ["sent"]

    assert [m["Subject"] for m in server.messages] == ["Hello"]


def test_admin_index_counts_undelivered_mail(db, settings, admin_client):
    use_smtp(settings)
    settings.FORUM_MAIL_MAX_ATTEMPTS = 2
    for _ in range(2):
        queue()
    send_queued_mail()  # both fail once and wait
    OutgoingMail.objects.filter(pk=OutgoingMail.objects.first().pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    send_queued_mail()  # one of them fails again: given up

    page = admin_client.get("/admin/").content.decode()

    assert "2 e-mails undelivered" in page
    assert "1 e-mail failing, still being retried" in page
    assert "1 e-mail given up" in page
    assert "/admin/core/outgoingmail/?status__exact=failed" in page


def test_admin_index_says_so_when_everything_went_out(db, admin_client, mailoutbox):
    queue()
    send_queued_mail()

    page = admin_client.get("/admin/").content.decode()

    assert "nothing undelivered" in page
    assert "undelivered:" not in page


def test_outbox_list_shows_why_a_mail_failed_but_never_its_body(
    db, settings, admin_client
):
    use_smtp(settings)
    queued = queue(body="Your secret link: http://testserver/reset/abc/")
    mail.deliver(queued.pk)

    listing = admin_client.get("/admin/core/outgoingmail/").content.decode()
    detail = admin_client.get(
        f"/admin/core/outgoingmail/{queued.pk}/change/"
    ).content.decode()

    assert "reader@example.com" in listing and "Hello" in listing
    assert "ConnectionRefusedError" in detail
    assert "secret link" not in listing + detail


def test_queue_refuses_attachments(db):
    message = EmailMultiAlternatives("S", "B", to=["a@example.com"])
    message.attach("x.txt", b"data", "text/plain")

    with pytest.raises(ValueError):
        mail.queue_message(message)
    assert django_mail.outbox == []
