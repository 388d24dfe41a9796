"""Alert e-mails: one per unread alert at most, held a few minutes, and digests.

- A post's mails wait FORUM_ALERT_MAIL_DELAY_SECONDS (300) after its alerts
  (a task queued with a later start): a member who reads the post meanwhile
  reads its alert, and an alert that is read is never mailed.
- An unread alert is mailed once (`Alert.emailed_at`): the replies that gather
  into it before the member comes back send nothing more, so a thread mails a
  member at most once until they visit it again.
- Who wants which mail: a thread or forum watch with e-mail on (replies, new
  threads; a quote or mention in a thread watched with e-mail too), the
  "quoted or mentioned" preference; a member on a daily or
  weekly digest gets none of those, only the digest of their unread alerts,
  and only when they have not been back since.
- Every mail has a plain-text and an HTML part and carries List-Unsubscribe
  and List-Unsubscribe-Post (RFC 8058) with a signed token for what it is
  about (that watch, that preference): one click, no login.

Everything goes through the outbox (forum.core.mail.queue_mail).
"""

import html
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core import signing
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from forum.core.mail import queue_mail
from forum.notifications import present
from forum.notifications.models import Alert, ForumWatch, Preferences, ThreadWatch

SALT = "forum.notifications.unsubscribe"
DIGEST_PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
DIGEST_SHOWN = 20


def delay_seconds() -> int:
    return int(getattr(settings, "FORUM_ALERT_MAIL_DELAY_SECONDS", 300))


# --- tokens ---------------------------------------------------------------------


def make_token(what: str, pk, user_id: int) -> str:
    """A signed, URL-safe token naming one thing to stop mailing about: "t"
    (a thread watch), "f" (a forum watch) or "p" (a preference: "mentions",
    "digest"), and whose it is."""
    return signing.dumps([what, pk, user_id], salt=SALT, compress=True)


def read_token(token: str):
    """(what, pk, user_id), or None for a token that was not ours."""
    try:
        what, pk, user_id = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return what, pk, user_id


def site_url(path: str) -> str:
    protocol = getattr(settings, "ACCOUNT_DEFAULT_HTTP_PROTOCOL", "https")
    return f"{protocol}://{Site.objects.get_current().domain}{path}"


def unsubscribe_url(token: str) -> str:
    return site_url(reverse("notifications:unsubscribe", kwargs={"token": token}))


# --- what a token stops ----------------------------------------------------------


def token_subject(token: str):
    """What the token stops, for the page that asks: (description, member), or
    None when the token is not ours or names nothing any more."""
    found = read_token(token)
    if found is None:
        return None
    what, pk, user_id = found
    member = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if member is None:
        return None
    if what == "t":
        watch = (
            ThreadWatch.objects.select_related("thread")
            .filter(pk=pk, user=member)
            .first()
        )
        if watch is None:
            return None
        return f"e-mails about the thread “{watch.thread.title}”", member
    if what == "f":
        watch = ForumWatch.objects.select_related("node").filter(pk=pk, user=member)
        watch = watch.first()
        if watch is None:
            return None
        return f"e-mails about the forum “{watch.node.title}”", member
    if what == "p" and pk == "mentions":
        return ("e-mails when you are quoted or mentioned", member)
    if what == "p" and pk == "digest":
        return ("your alert digest", member)
    return None


@transaction.atomic
def unsubscribe(token: str) -> str | None:
    """Stop what the token names (its e-mails only: a watch stays, without
    e-mail); what was stopped, or None."""
    subject = token_subject(token)
    if subject is None:
        return None
    description, member = subject
    what, pk, _ = read_token(token)
    if what == "t":
        ThreadWatch.objects.filter(pk=pk, user=member).update(email=False)
    elif what == "f":
        ForumWatch.objects.filter(pk=pk, user=member).update(email=False)
    else:
        field = "email_mentions" if pk == "mentions" else "digest"
        value = False if pk == "mentions" else Preferences.Digest.OFF
        Preferences.objects.update_or_create(user=member, defaults={field: value})
    return description


# --- one alert's mail ----------------------------------------------------------

_DUE_SQL = """
UPDATE notifications_alert a SET emailed_at = %(now)s
FROM accounts_user u
LEFT JOIN notifications_preferences p ON p.user_id = u.id
WHERE a.thread_id = %(thread)s AND a.read_at IS NULL AND a.emailed_at IS NULL
  AND u.id = a.user_id AND u.is_active AND u.email <> ''
  AND COALESCE(p.digest, 'off') = 'off'
  AND (
    (a.kind IN ('quote', 'mention') AND COALESCE(p.email_mentions, FALSE))
    -- a watcher with e-mail hears of the thread's posts, whatever the alert
    OR (a.kind IN ('reply', 'quote', 'mention') AND EXISTS (
      SELECT 1 FROM notifications_threadwatch w
      WHERE w.user_id = a.user_id AND w.thread_id = a.thread_id AND w.email))
    OR (a.kind IN ('reply', 'thread') AND EXISTS (
      SELECT 1 FROM notifications_forumwatch f
      WHERE f.user_id = a.user_id AND f.node_id = %(node)s AND f.email
        AND (a.kind = 'thread' OR f.mode = 'posts')))
  )
RETURNING a.id
"""


def send_thread_mails(thread_id: int) -> int:
    """Mail every member with an unread, unmailed alert in this thread who asked
    for e-mail about it (see the module docstring); how many mails."""
    from forum.threads.models import Thread

    thread = Thread.objects.filter(pk=thread_id).first()
    if thread is None:
        return 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                _DUE_SQL,
                {"thread": thread_id, "node": thread.node_id, "now": timezone.now()},
            )
            ids = [pk for (pk,) in cursor.fetchall()]
        alerts = (
            Alert.objects.filter(pk__in=ids)
            .select_related("user", "thread", "thread__node", "post")
            .order_by("user_id")
        )
        for alert in alerts:
            _mail_alert(alert)
    return len(ids)


def _token_for(alert: Alert) -> str:
    """What the mail's unsubscribe link stops: the watch of the thread that
    sent it, else the quoted-or-mentioned preference, else the forum watch."""
    watch = ThreadWatch.objects.filter(
        user_id=alert.user_id, thread_id=alert.thread_id, email=True
    ).first()
    if watch is not None and alert.kind != Alert.Kind.THREAD:
        return make_token("t", watch.pk, alert.user_id)
    if alert.kind in (Alert.Kind.QUOTE, Alert.Kind.MENTION):
        return make_token("p", "mentions", alert.user_id)
    forum = ForumWatch.objects.filter(
        user_id=alert.user_id, node_id=alert.thread.node_id
    ).first()
    return make_token("f", forum.pk if forum else 0, alert.user_id)


def _headers(link: str) -> dict:
    return {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _mail_alert(alert: Alert) -> None:
    link = unsubscribe_url(_token_for(alert))
    context = {
        "alert": alert,
        "pieces": [
            piece._replace(url=site_url(piece.url) if piece.url else "")
            for piece in present.pieces(alert)
        ],
        "sentence": present.plain(alert),
        "url": site_url(present.target(alert)),
        "excerpt": _excerpt(alert.post),
        "unsubscribe": link,
        "SITE_NAME": settings.SITE_NAME,
    }
    queue_mail(
        to=[alert.user.email],
        subject=f"[{settings.SITE_NAME}] {present.plain(alert)}"[:200],
        body=render_to_string("notifications/mail/alert.txt", context),
        html_body=render_to_string("notifications/mail/alert.html", context),
        headers=_headers(link),
        kind="alert",
    )


def _excerpt(post, length: int = 400) -> str:
    """The post's own words (its quotes left out), as plain text."""
    if post is None or post.is_deleted:
        return ""
    text = re.sub(r"<blockquote.*?</blockquote>", " ", post.body_html, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# --- digests --------------------------------------------------------------------


def send_digests(frequency: str, now=None) -> int:
    """One mail to each member on this digest (daily, weekly) who has unread
    alerts since their last visit and their last digest, and got none within
    the period; how many mails."""
    now = now or timezone.now()
    period = DIGEST_PERIODS[frequency]
    due = Preferences.objects.filter(digest=frequency).exclude(
        last_digest_at__gt=now - period
    )
    sent = 0
    for prefs in due.select_related("user").iterator():
        member = prefs.user
        if not member.is_active or not member.email:
            continue
        times = [t for t in (prefs.last_digest_at, member.last_seen_at) if t]
        since = max(times) if times else None
        alerts = Alert.objects.filter(user=member, read_at__isnull=True)
        if since is not None:
            alerts = alerts.filter(updated_at__gt=since)
        alerts = list(alerts.select_related("thread", "thread__node")[:DIGEST_SHOWN])
        if not alerts:
            continue
        with transaction.atomic():
            _mail_digest(member, alerts, frequency)
            Preferences.objects.filter(pk=prefs.pk).update(last_digest_at=now)
        sent += 1
    return sent


def _mail_digest(member, alerts: list[Alert], frequency: str) -> None:
    link = unsubscribe_url(make_token("p", "digest", member.pk))
    context = {
        "member": member,
        "frequency": frequency,
        "lines": [
            {
                "text": present.plain(alert),
                "url": site_url(
                    present.target(alert) or reverse("notifications:alerts")
                ),
            }
            for alert in alerts
        ],
        "alerts_url": site_url(reverse("notifications:alerts")),
        "unsubscribe": link,
        "SITE_NAME": settings.SITE_NAME,
    }
    noun = "alert" if len(alerts) == 1 else "alerts"
    queue_mail(
        to=[member.email],
        subject=f"[{settings.SITE_NAME}] Your {frequency} digest: "
        f"{len(alerts)} unread {noun}",
        body=render_to_string("notifications/mail/digest.txt", context),
        html_body=render_to_string("notifications/mail/digest.html", context),
        headers=_headers(link),
        kind="alert-digest",
    )
