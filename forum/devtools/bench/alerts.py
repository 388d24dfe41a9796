"""The alerts benchmark: what a reply costs its writer when 5,000 members watch
the thread, against a thread nobody watches, and what the background fan-out
costs for those 5,000.

Replies go through the real request path (Django's test client in this
process, a signed-in member, the reply form's POST, the commit that queues the
fan-out task), alternating between the two threads so that a drift of the
machine's speed touches both alike; the ratio of their median latencies is the
number to watch (at most 1.2: the request must not grow with the watchers).
The fan-out is timed on its own, as the worker runs it: once writing 5,000 new
alerts, once gathering into 5,000 unread ones.

Everything it makes (a forum, two threads, a writer, the watches, the alerts,
the queued tasks) is removed at the end; the watchers' unread counts are
recounted.
"""

import statistics
import time
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from forum.core.pagecache import invalidate
from forum.notifications.fanout import fan_out
from forum.notifications.models import Alert, ThreadWatch
from forum.notifications.plugs import UNREAD_RECOUNT_SQL
from forum.posts.models import Post
from forum.posts.services import create_thread
from forum.threads.models import Node, Thread

PREFIX = "alerts-bench"


@dataclass
class AlertsResult:
    watchers: int
    replies: int
    quiet_ms: list[float] = field(default_factory=list)
    busy_ms: list[float] = field(default_factory=list)
    fan_out_new_ms: float = 0.0
    fan_out_gathered_ms: float = 0.0
    alerts_written: int = 0

    @property
    def quiet_p50(self) -> float:
        return statistics.median(self.quiet_ms)

    @property
    def busy_p50(self) -> float:
        return statistics.median(self.busy_ms)

    @property
    def ratio(self) -> float:
        return self.busy_p50 / self.quiet_p50

    def as_dict(self) -> dict:
        return {
            "watchers": self.watchers,
            "replies_per_thread": self.replies,
            "reply_p50_ms_no_watchers": round(self.quiet_p50, 2),
            "reply_p50_ms_with_watchers": round(self.busy_p50, 2),
            "reply_latency_ratio_p50": round(self.ratio, 3),
            "fan_out_ms_new_alerts": round(self.fan_out_new_ms, 1),
            "fan_out_ms_gathered_alerts": round(self.fan_out_gathered_ms, 1),
            "alerts_written": self.alerts_written,
        }


def _members(count: int, log) -> list[int]:
    """Ids of `count` active members to watch, made if the board has fewer."""
    User = get_user_model()
    ids = list(
        User.objects.filter(is_active=True, is_deleted_member=False)
        .exclude(username__startswith=PREFIX)
        .order_by("id")
        .values_list("pk", flat=True)[:count]
    )
    missing = count - len(ids)
    if missing > 0:
        log(f"  making {missing:,} members to watch…")
        made = User.objects.bulk_create(
            User(username=f"{PREFIX}-member-{i}", email=f"{PREFIX}-{i}@example.com")
            for i in range(missing)
        )
        ids += [member.pk for member in made]
    return ids


def _setup(watchers: int, log):
    User = get_user_model()
    category = Node.objects.create(kind=Node.Kind.CATEGORY, title=f"{PREFIX} category")
    node = Node.objects.create(title=f"{PREFIX} forum", parent=category)
    # A writer past the approval queue and the new-member limits.
    writer = User.objects.create_user(
        username=f"{PREFIX}-writer", email=f"{PREFIX}-writer@example.com"
    )
    User.objects.filter(pk=writer.pk).update(message_count=1000)
    writer.refresh_from_db()
    EmailAddress.objects.create(
        user=writer, email=writer.email, verified=True, primary=True
    )
    threads = {}
    for name in ("quiet", "busy"):
        threads[name] = create_thread(
            author=writer,
            node=node,
            title=f"{PREFIX} {name}",
            body="Opening post.",
            enforce_limits=False,
        ).post.thread
    ids = _members(watchers, log)
    ThreadWatch.objects.bulk_create(
        [ThreadWatch(user_id=pk, thread=threads["busy"]) for pk in ids],
        batch_size=2000,
    )
    return category, node, writer, threads, ids


def _reply_ms(client: Client, thread, n: int) -> float:
    started = time.perf_counter()
    response = client.post(thread.get_reply_url(), {"body": f"Reply number {n}."})
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 302:
        raise RuntimeError(f"the reply was refused: HTTP {response.status_code}")
    return elapsed


def _time_fan_out(post_id: int) -> float:
    started = time.perf_counter()
    fan_out(post_id)
    return (time.perf_counter() - started) * 1000


def _read_all(thread_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE notifications_alert SET read_at = now()"
            " WHERE thread_id = %s AND read_at IS NULL",
            [thread_id],
        )


def run(*, watchers: int = 5000, replies: int = 20, log=print) -> AlertsResult:
    """Measure (see the module docstring) and clean up; the numbers."""
    result = AlertsResult(watchers=watchers, replies=replies)
    log(f"Alerts benchmark: {watchers:,} watchers, {replies} replies per thread")
    started = timezone.now()
    category, node, writer, threads, ids = _setup(watchers, log)
    try:
        with override_settings(
            FORUM_FLOOD_SECONDS=0,
            FORUM_FLOOD_SECONDS_NEW_MEMBER=0,
            ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"],
        ):
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(writer)
            for n in range(3):  # warm: templates, the policy snapshot, sessions
                _reply_ms(client, threads["quiet"], -n)
            for n in range(replies):  # in turns, each first every other time
                order = ("quiet", "busy") if n % 2 else ("busy", "quiet")
                for name in order:
                    elapsed = _reply_ms(client, threads[name], n)
                    (result.quiet_ms if name == "quiet" else result.busy_ms).append(
                        elapsed
                    )
        log(
            f"  reply p50: {result.quiet_p50:.1f} ms without watchers, "
            f"{result.busy_p50:.1f} ms with {watchers:,}: ratio {result.ratio:.2f}"
        )
        busy = Post.objects.filter(thread=threads["busy"]).order_by("-position")
        last = busy.first()
        _read_all(threads["busy"].pk)
        result.fan_out_new_ms = _time_fan_out(last.pk)
        result.fan_out_gathered_ms = _time_fan_out(last.pk)
        result.alerts_written = _alerts_for(threads["busy"].pk)
        log(
            f"  fan-out of one reply to {watchers:,} watchers: "
            f"{result.fan_out_new_ms:.0f} ms writing new alerts, "
            f"{result.fan_out_gathered_ms:.0f} ms gathering into unread ones"
        )
    finally:
        _clean_up(category, node, threads, since=started)
    return result


def _alerts_for(thread_id: int) -> int:
    return Alert.objects.filter(thread_id=thread_id, read_at__isnull=True).count()


@transaction.atomic
def _clean_up(category, node, threads, *, since) -> None:
    thread_ids = [t.pk for t in threads.values()]
    Alert.objects.filter(thread_id__in=thread_ids).delete()
    # The fan-outs the replies queued (no worker ran them: timed above instead).
    DBTaskResult.objects.filter(
        task_path__startswith="forum.notifications.tasks.", enqueued_at__gte=since
    ).delete()
    Thread.objects.filter(pk__in=thread_ids).delete()  # posts, watches, reads
    node.delete()
    category.delete()
    get_user_model().objects.filter(username__startswith=PREFIX).delete()
    with connection.cursor() as cursor:
        cursor.execute(UNREAD_RECOUNT_SQL)
    invalidate("index", "site")
