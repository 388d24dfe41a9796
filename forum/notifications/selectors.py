"""Reads for the alerts pages, the drop-down and the watched threads page."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Subquery

from forum.core.pagination import PageNav, page_nav
from forum.notifications import present
from forum.notifications.models import Alert, ForumWatch, ThreadWatch
from forum.policy import can_view_post, can_view_thread
from forum.threads.models import Thread, ThreadRead
from forum.threads.reading import with_unread

ALERTS_PER_PAGE = 20
RECENT_SHOWN = 8


@dataclass
class AlertsPage:
    alerts: list[Alert]
    nav: PageNav
    unread_only: bool


def _shown(user, alerts: list[Alert]) -> list[Alert]:
    """The alerts whose post or thread the member may still see (a post since
    deleted, a forum since made private: the alert is left out, not linked)."""
    shown = []
    for alert in alerts:
        if alert.post is not None:
            if alert.thread is not None and alert.thread_id == alert.post.thread_id:
                alert.post.thread = alert.thread  # loaded with its forum
            if not can_view_post(user, alert.post):
                continue
        elif alert.thread is not None and not can_view_thread(user, alert.thread):
            continue
        elif alert.kind != Alert.Kind.MODERATION and alert.thread_id is None:
            continue  # about a thread that is gone
        alert.pieces = present.pieces(alert)
        shown.append(alert)
    return shown


def _alerts(user):
    return Alert.objects.filter(user=user).select_related(
        "thread", "thread__node", "post", "actor"
    )


def alerts_page(user, page: int, *, unread_only: bool = False) -> AlertsPage:
    """A page of the member's alerts, the latest first (an alert that gathers
    more moves up), read and unread, or only those unread."""
    alerts = _alerts(user)
    if unread_only:
        alerts = alerts.filter(read_at__isnull=True)
    total = alerts.count()
    nav = page_nav(page, -(-total // ALERTS_PER_PAGE))
    start = (nav.current - 1) * ALERTS_PER_PAGE
    rows = list(alerts[start : start + ALERTS_PER_PAGE])
    return AlertsPage(alerts=_shown(user, rows), nav=nav, unread_only=unread_only)


def recent_alerts(user) -> list[Alert]:
    """The drop-down's alerts: the most recent few."""
    return _shown(user, list(_alerts(user)[:RECENT_SHOWN]))


def unread_alert_count(user) -> int:
    """As the header shows it: from the member row, no query."""
    return user.unread_alert_count if user.is_authenticated else 0


def alert_for(user, pk: int) -> Alert | None:
    return _alerts(user).filter(pk=pk).first()


# --- watching -------------------------------------------------------------------


@dataclass
class WatchedPage:
    threads: list[Thread]  # each with .is_unread, .watch_email
    nav: PageNav
    forums: list[ForumWatch]


def watched_page(user, page: int) -> WatchedPage:
    """The threads the member watches and may see, latest activity first, each
    marked unread or read (with a link to where they stopped reading); and the
    forums they watch."""
    per_page = settings.FORUM_THREADS_PER_PAGE
    watched = ThreadWatch.objects.filter(user=user, thread=OuterRef("pk"))
    read = ThreadRead.objects.filter(user=user, thread=OuterRef("pk"))
    threads = (
        Thread.objects.visible_to(user)
        .filter(Exists(watched))
        .select_related("node", "starter")
    )
    total = threads.count()
    nav = page_nav(page, -(-total // per_page))
    start = (nav.current - 1) * per_page
    rows = list(
        with_unread(threads, user)
        .annotate(
            watch_email=Subquery(watched.values("email")[:1]),
            read_position=Subquery(read.values("last_read_position")[:1]),
        )
        .order_by("-last_post_at", "-id")[start : start + per_page]
    )
    for thread in rows:
        first_unread = (thread.read_position or -1) + 1
        page_of = thread.page_for_position(min(first_unread, thread.last_position))
        thread.unread_url = thread.get_absolute_url(page_of)
    forums = list(
        ForumWatch.objects.filter(user=user)
        .select_related("node")
        .order_by("node__title")
    )
    return WatchedPage(threads=rows, nav=nav, forums=forums)


def thread_watch(user, thread) -> ThreadWatch | None:
    return ThreadWatch.objects.filter(user=user, thread=thread).first()


def forum_watch(user, node) -> ForumWatch | None:
    return ForumWatch.objects.filter(user=user, node=node).first()


PICKER_SHOWN = 8


def names_starting(prefix: str) -> list[str]:
    """Up to a few active members whose name starts with `prefix` (two letters
    at least), the most active first: the @mention picker's suggestions."""
    prefix = prefix.strip()[:50]
    if len(prefix) < 2:
        return []
    found = (
        get_user_model()
        .objects.filter(
            username__istartswith=prefix, is_active=True, is_deleted_member=False
        )
        .order_by("-message_count", "username")
        .values_list("username", flat=True)[:PICKER_SHOWN]
    )
    return list(found)
