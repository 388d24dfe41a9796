"""Background work of the core, through Django's Tasks API (queued on commit)."""

from django_tasks import task


@task()
def deliver_mail(mail_id: int) -> str:
    """One delivery attempt for a queued e-mail (forum/core/mail.py), which
    queues the next attempt itself when this one fails."""
    from forum.core.mail import deliver

    return deliver(mail_id)
