"""What follows a change to a post, in the background task queued on its commit:
its quotes recorded (and what they show), its alerts written, its mails queued
to go out a few minutes later."""

from datetime import timedelta

from django.utils import timezone

from forum.notifications import quotes
from forum.notifications.fanout import fan_out
from forum.notifications.mail import delay_seconds
from forum.posts.models import Post


def follow(post_id: int, kind: str, *, new_thread=False, known=None) -> dict:
    """`kind` is a forum.posts.extensions.PostEvent kind; returns how many
    members were alerted, by kind of alert."""
    post = Post.objects.select_related("thread").filter(pk=post_id).first()
    if post is None:
        return {}
    if kind == "hidden":
        quotes.forget(post)
        return {}
    visible = post.is_approved and not post.is_deleted
    if not visible:
        return {}
    if kind == "shown":
        quotes.shown(post)
        return {}
    if kind == "edited":
        quotes.edited(post)
    else:  # created, approved
        quotes.record(post)
    counts = fan_out(post_id, new_thread=new_thread, known=known)
    if any(counts.values()):
        mail_later(post.thread_id)
    return counts


def mail_later(thread_id: int) -> None:
    """Queue the thread's alert mails to go out after the delay (at once on a
    task backend that cannot wait, like the one tests run inline)."""
    from forum.notifications.tasks import send_thread_mails

    delay = delay_seconds()
    if delay > 0 and send_thread_mails.get_backend().supports_defer:
        when = timezone.now() + timedelta(seconds=delay)
        send_thread_mails.using(run_after=when).enqueue(thread_id)
    else:
        send_thread_mails.enqueue(thread_id)
