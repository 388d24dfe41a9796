"""Sending the outbox from a test: every mail the site sends waits in
forum.core's outbox until the worker delivers it."""

import email
import email.policy
import socket

from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone

from forum.core import mail
from forum.core.models import OutgoingMail


def send_queued_mail() -> list[str]:
    """Make one delivery attempt for every mail that is due, as the worker's
    task does (in a test wrapped in a transaction nothing commits, so no task
    was queued); the outcomes, in order."""
    due = OutgoingMail.objects.filter(
        status__in=[OutgoingMail.Status.QUEUED, OutgoingMail.Status.RETRYING]
    ).order_by("pk")
    return [mail.deliver(pk) for pk in due.values_list("pk", flat=True)]


def run_worker() -> None:
    """The real database worker, once through every task that is ready."""
    call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, verbosity=0
    )


def let_time_pass() -> None:
    """Every wait before a retry is over: the outbox's and the queue's."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    OutgoingMail.objects.filter(next_attempt_at__gt=now).update(next_attempt_at=now)
    DBTaskResult.objects.filter(
        status="READY", run_after__gt=now, run_after__lt=get_date_max()
    ).update(run_after=now)


def unused_port() -> int:
    """A port on 127.0.0.1 where nothing listens (yet)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives:
    `messages` are parsed e-mails, `envelopes` the raw ones."""

    def __init__(self, port: int):
        self.port = port
        self.envelopes = []
        self._controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(e.content, policy=email.policy.default)
            for e in self.envelopes
        ]

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()


def use_smtp(settings) -> int:
    """Mail goes by SMTP to a port on 127.0.0.1 where no server listens yet
    (start one with SmtpServer(port)); the port."""
    port = unused_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    return port
