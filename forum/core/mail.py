"""The outbox: every e-mail the site sends goes through here.

A request never talks to the mail server. `queue_mail(...)` (or `queue_message`,
for a ready EmailMessage) writes an OutgoingMail row inside the caller's
transaction and, once that commits, queues the `deliver_mail` task; the worker
sends it through Django's mail API. So a mail server that is down, slow or
refusing costs the request nothing: sign-up and password reset answer the same
page either way.

A failed attempt is logged and retried by the worker, each wait twice the one
before (FORUM_MAIL_RETRY_SECONDS, then twice that, ...), until
FORUM_MAIL_MAX_ATTEMPTS attempts have failed; then the mail is given up
(status "failed", logged as an error). Staff see how many mails are failing or
given up on the admin index, and can send them again from the outbox's admin
list. Nothing here knows what a mail is about: `kind` is a free label (allauth's
template name, for instance) for the admin list and the logs.

    queue_mail(to=["a@example.com"], subject="Hello", body="...", kind="welcome")
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from forum.core.models import OutgoingMail

logger = logging.getLogger("forum.mail")

Status = OutgoingMail.Status
ERROR_MAX_LENGTH = 2000


def max_attempts() -> int:
    return max(1, int(getattr(settings, "FORUM_MAIL_MAX_ATTEMPTS", 8)))


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: the base, doubled each time."""
    base = int(getattr(settings, "FORUM_MAIL_RETRY_SECONDS", 60))
    return timedelta(seconds=base * 2 ** max(0, attempts - 1))


def queue_mail(
    *,
    to: list[str],
    subject: str,
    body: str,
    html_body: str = "",
    from_email: str | None = None,
    cc: list[str] = (),
    bcc: list[str] = (),
    reply_to: list[str] = (),
    headers: dict[str, str] | None = None,
    kind: str = "",
) -> OutgoingMail:
    """Queue one e-mail; the worker sends it once the current transaction
    commits (at once when there is none). Returns the outbox row."""
    mail = OutgoingMail.objects.create(
        kind=kind[:120],
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        cc=list(cc),
        bcc=list(bcc),
        reply_to=list(reply_to),
        headers=dict(headers or {}),
        subject=subject,
        body=body,
        html_body=html_body,
    )
    logger.info("Mail %s (%s) queued for %s", mail.pk, kind or "-", ", ".join(to))
    # robust: a queue that cannot be reached must not turn the member's request
    # into an error; the row stays "queued" and staff can send it from the admin.
    transaction.on_commit(partial(_enqueue, mail.pk), robust=True)
    return mail


def queue_message(message: EmailMessage, *, kind: str = "") -> OutgoingMail:
    """Queue a message built with Django's mail classes (allauth renders its
    mails that way). Attachments are not supported: the outbox keeps text."""
    if message.attachments:
        raise ValueError("The outbox does not carry attachments.")
    body, html_body = message.body, ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html_body = content
    if message.content_subtype == "html" and not html_body:
        body, html_body = "", message.body
    return queue_mail(
        to=message.to,
        cc=message.cc,
        bcc=message.bcc,
        reply_to=message.reply_to,
        headers=message.extra_headers,
        from_email=message.from_email,
        subject=message.subject,
        body=body,
        html_body=html_body,
        kind=kind,
    )


def _enqueue(mail_id: int, when=None) -> None:
    from forum.core.tasks import deliver_mail

    task = deliver_mail.using(run_after=when) if when is not None else deliver_mail
    task.enqueue(mail_id)


def _message(mail: OutgoingMail) -> EmailMessage:
    fields = {
        "subject": mail.subject,
        "from_email": mail.from_email,
        "to": mail.to,
        "cc": mail.cc,
        "bcc": mail.bcc,
        "reply_to": mail.reply_to,
        "headers": mail.headers,
    }
    if not mail.body:
        message = EmailMessage(body=mail.html_body, **fields)
        message.content_subtype = "html"
        return message
    message = EmailMultiAlternatives(body=mail.body, **fields)
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    return message


def deliver(mail_id: int) -> str:
    """Make one delivery attempt (the worker's task calls this): "sent",
    "retrying" (a later attempt is queued), "failed" (given up) or "skipped"
    (already sent or given up, another worker has it, or not due yet)."""
    now = timezone.now()
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id)
            .first()
        )
        if mail is None or mail.status in (Status.SENT, Status.FAILED):
            return "skipped"
        if mail.next_attempt_at and mail.next_attempt_at > now:
            return "skipped"  # a newer task is queued for the later attempt
        mail.attempts += 1
        try:
            _message(mail).send()
        except Exception as error:  # any failure is one more failed attempt
            outcome = _record_failure(mail, error, now)
        else:
            outcome = _record_success(mail, now)
    if outcome == Status.RETRYING:
        _enqueue(mail.pk, when=mail.next_attempt_at)
    return str(outcome)


def _record_success(mail: OutgoingMail, now) -> str:
    mail.status = Status.SENT
    mail.sent_at = now
    mail.next_attempt_at = None
    mail.body = mail.html_body = ""
    mail.save()
    logger.info(
        "Mail %s (%s) sent after %d attempt(s)",
        mail.pk,
        mail.kind or "-",
        mail.attempts,
    )
    return Status.SENT


def _record_failure(mail: OutgoingMail, error: Exception, now) -> str:
    mail.last_error = f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]
    if mail.attempts >= max_attempts():
        mail.status = Status.FAILED
        mail.next_attempt_at = None
        logger.error(
            "Mail %s (%s) to %s given up after %d attempts: %s",
            mail.pk,
            mail.kind or "-",
            ", ".join(mail.to),
            mail.attempts,
            mail.last_error,
        )
    else:
        mail.status = Status.RETRYING
        mail.next_attempt_at = now + retry_delay(mail.attempts)
        logger.warning(
            "Mail %s (%s) attempt %d failed, next at %s: %s",
            mail.pk,
            mail.kind or "-",
            mail.attempts,
            mail.next_attempt_at.isoformat(),
            mail.last_error,
        )
    mail.save()
    return mail.status


def send_again(mails) -> int:
    """Queue an attempt now for each mail not yet sent (the admin's action). A
    given-up mail gets one more attempt; a retrying one skips its wait."""
    now = timezone.now()
    ids = list(mails.exclude(status=Status.SENT).values_list("pk", flat=True))
    OutgoingMail.objects.filter(pk__in=ids, status=Status.FAILED).update(
        status=Status.RETRYING
    )
    OutgoingMail.objects.filter(pk__in=ids).update(next_attempt_at=now)
    for mail_id in ids:
        transaction.on_commit(partial(_enqueue, mail_id), robust=True)
    return len(ids)


def undelivered_counts() -> dict[str, int]:
    """How many mails are failing and still being retried, and how many were
    given up: {"retrying": n, "failed": m}."""
    rows = (
        OutgoingMail.objects.filter(status__in=[Status.RETRYING, Status.FAILED])
        .values("status")
        .annotate(n=Count("pk"))
    )
    counts = {"retrying": 0, "failed": 0}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
