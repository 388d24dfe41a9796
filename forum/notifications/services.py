"""Writes for alerts, watches and preferences. Every app that tells a member
something calls `notify`; everything that concerns a post (replies, quotes,
mentions, reactions) is written by the fan-out (forum/notifications/fanout.py).

The member's unread count (accounts.User.unread_alert_count) moves in the same
statement as the alerts it counts: a new unread alert adds one, reading alerts
takes away as many as were read. `manage.py recount` rebuilds it."""

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from forum.notifications.models import Alert, ForumWatch, Preferences, ThreadWatch
from forum.notifications.writing import AlertSpec, alert_members

Kind = Alert.Kind


def notify(
    *,
    user,
    kind: str,
    text: str = "",
    url: str = "",
    actor=None,
    thread=None,
    post=None,
) -> None:
    """One alert for `user`: what happened (`kind`; `text` in words for alerts
    that are not about a post, like a ban) and where (`url`, or the `post`). An
    alert about a thread gathers into the member's unread one of the same kind
    there, if they have one."""
    spec = AlertSpec(
        kind=kind,
        actor_id=getattr(actor, "pk", None),
        actor_name=getattr(actor, "username", ""),
        thread_id=getattr(thread, "pk", None) or getattr(post, "thread_id", None),
        post_id=getattr(post, "pk", None),
        position=getattr(post, "position", None),
        text=text,
        url=url,
    )
    alert_members(spec, [user.pk])


_READ_SQL = """
WITH done AS (
  UPDATE notifications_alert SET read_at = %(now)s
  WHERE user_id = %(user)s AND read_at IS NULL {which}
  RETURNING 1
),
counted AS (
  UPDATE accounts_user SET unread_alert_count = unread_alert_count
    - (SELECT count(*) FROM done)
  WHERE id = %(user)s AND EXISTS (SELECT 1 FROM done)
  RETURNING unread_alert_count
)
SELECT (SELECT count(*) FROM done), (SELECT unread_alert_count FROM counted)
"""


def _read(user, which: str, **params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            _READ_SQL.format(which=which),
            {"user": user.pk, "now": timezone.now(), **params},
        )
        read, left = cursor.fetchone()
    if read:
        user.unread_alert_count = left  # the header of this very page
    return read


def mark_alerts_read(*, user, ids=None) -> int:
    """The member's unread alerts (these `ids`, or all) count as read; how many
    did. One statement."""
    if ids is None:
        return _read(user, "")
    return _read(user, "AND id = ANY(%(ids)s::bigint[])", ids=list(ids))


def read_thread_alerts(*, user, thread, position: int) -> int:
    """A member was shown a thread page whose last post is at `position`: the
    alerts about posts up to it are read. No query for a member with no unread
    alert (the count is on the member row, read with every request)."""
    if not user.is_authenticated or user.unread_alert_count <= 0:
        return 0
    return _read(
        user,
        "AND thread_id = %(thread)s AND position <= %(position)s",
        thread=thread.pk,
        position=position,
    )


# --- watching -------------------------------------------------------------------


def watch_thread(*, user, thread, email: bool) -> ThreadWatch:
    """Watch a thread (with or without e-mail), or change how."""
    watch, _ = ThreadWatch.objects.update_or_create(
        user=user, thread=thread, defaults={"email": email}
    )
    return watch


def unwatch_threads(*, user, thread_ids) -> int:
    """Stop watching these threads; how many were watched."""
    deleted, _ = ThreadWatch.objects.filter(
        user=user, thread_id__in=list(thread_ids)
    ).delete()
    return deleted


def watch_forum(*, user, node, mode: str, email: bool) -> ForumWatch:
    watch, _ = ForumWatch.objects.update_or_create(
        user=user, node=node, defaults={"mode": mode, "email": email}
    )
    return watch


def unwatch_forums(*, user, node_ids) -> int:
    deleted, _ = ForumWatch.objects.filter(
        user=user, node_id__in=list(node_ids)
    ).delete()
    return deleted


_AUTO_WATCH_SQL = """
INSERT INTO notifications_threadwatch (user_id, thread_id, email, created_at)
SELECT %(user)s, %(thread)s, COALESCE(p.watch_email, FALSE), %(now)s
FROM (SELECT 1) one
LEFT JOIN notifications_preferences p ON p.user_id = %(user)s
WHERE COALESCE(p.{wanted}, TRUE)
ON CONFLICT (user_id, thread_id) DO NOTHING
"""


def auto_watch(*, user_id: int, thread_id: int, started: bool) -> None:
    """The writer of a new thread or reply watches it, if their preferences say
    so (on by default, without e-mail unless they chose it): one statement."""
    wanted = "watch_started" if started else "watch_replied"
    with connection.cursor() as cursor:
        cursor.execute(
            _AUTO_WATCH_SQL.format(wanted=wanted),
            {"user": user_id, "thread": thread_id, "now": timezone.now()},
        )


# --- preferences ----------------------------------------------------------------


def preferences_for(user) -> Preferences:
    """The member's preferences (the defaults, unsaved, if they chose none)."""
    found = Preferences.objects.filter(user=user).first()
    return found or Preferences(user=user)


@transaction.atomic
def save_preferences(*, user, **choices) -> Preferences:
    prefs, _ = Preferences.objects.update_or_create(user=user, defaults=choices)
    return prefs


# --- posts moved by a moderator -------------------------------------------------

_MOVED_SQL = """
UPDATE notifications_alert a SET thread_id = p.thread_id
FROM posts_post p
WHERE a.post_id = p.id AND p.id = ANY(%(posts)s) AND a.thread_id <> p.thread_id
  AND (a.read_at IS NOT NULL OR NOT EXISTS (
    SELECT 1 FROM notifications_alert b
    WHERE b.user_id = a.user_id AND b.thread_id = p.thread_id AND b.kind = a.kind
      AND b.read_at IS NULL))
"""
_RENUMBERED_SQL = """
UPDATE notifications_alert a SET position = p.position
FROM posts_post p
WHERE a.post_id = p.id AND a.thread_id = ANY(%(threads)s)
  AND a.position IS DISTINCT FROM p.position
"""
_MERGED_WATCHES_SQL = """
INSERT INTO notifications_threadwatch (user_id, thread_id, email, created_at)
SELECT user_id, %(target)s, email, created_at FROM notifications_threadwatch
WHERE thread_id = %(source)s
ON CONFLICT (user_id, thread_id) DO UPDATE
  SET email = notifications_threadwatch.email OR EXCLUDED.email
"""


def follow_moved_posts(*, post_ids, thread_ids, merged_from=None) -> None:
    """Posts moved to another thread and threads renumbered (moderation's move,
    split and merge, in their transaction): the alerts about those posts follow
    them (an unread one stays behind when the member already has an unread alert
    of that kind there), every alert in those threads points at its post's new
    position, and the watchers of a thread merged away watch the survivor."""
    with connection.cursor() as cursor:
        cursor.execute(_MOVED_SQL, {"posts": list(post_ids)})
        cursor.execute(_RENUMBERED_SQL, {"threads": list(thread_ids)})
        if merged_from is not None:
            [target] = [pk for pk in thread_ids if pk != merged_from] or [None]
            cursor.execute(
                _MERGED_WATCHES_SQL, {"source": merged_from, "target": target}
            )


# --- members renamed or gone ----------------------------------------------------


def on_member_renamed(*, member_id: int, name: str) -> None:
    """Alerts that name the member as who did something name them anew."""
    Alert.objects.filter(actor_id=member_id).update(actor_name=name[:50])


def forget_member(*, member_id: int) -> None:
    """An account deleted (anonymized): what it watched, chose and was told goes."""
    ThreadWatch.objects.filter(user_id=member_id).delete()
    ForumWatch.objects.filter(user_id=member_id).delete()
    Preferences.objects.filter(user_id=member_id).delete()
    Alert.objects.filter(user_id=member_id).delete()
    get_user_model().objects.filter(pk=member_id).update(unread_alert_count=0)
