"""Background work for alerts, through Django's Tasks API (queued on commit by
forum/notifications/plugs.py: a request that writes a post never waits for the
members it concerns)."""

from django_tasks import task


@task()
def follow_post_change(
    post_id: int, kind: str, new_thread: bool = False, known: dict | None = None
) -> dict:
    """What a change to a post means for quotes and alerts (events.py)."""
    from forum.notifications.events import follow

    return follow(post_id, kind, new_thread=new_thread, known=known)


@task()
def alert_reaction(post_id: int, reactor_id: int, reactor_name: str) -> bool:
    """The author of a post hears of a new reaction to it."""
    from forum.notifications.fanout import alert_reaction as alert

    return alert(post_id, reactor_id, reactor_name)


@task()
def send_thread_mails(thread_id: int) -> int:
    """The mails of a thread's unread alerts, once they have waited (mail.py)."""
    from forum.notifications.mail import send_thread_mails as send

    return send(thread_id)


@task()
def send_digests(frequency: str) -> int:
    """The daily or weekly digests (run by `manage.py send_alert_digests`)."""
    from forum.notifications.mail import send_digests as send

    return send(frequency)
