"""Reads for the moderator pages: the approval queue, reports, the log, appeals;
and a member's own moderation log."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, Q

from forum.core.pagination import PageNav, page_nav
from forum.moderation.models import Appeal, ModeratorLog, Report
from forum.moderation.services.appeals import may_appeal
from forum.moderation.services.undo import can_be_undone
from forum.policy import can_view_log_entry, moderated_node_ids, visible_node_ids
from forum.posts.models import Post
from forum.threads.models import Node, Thread

PER_PAGE = 50


def _in_moderated_nodes(qs, user, path: str):
    nodes = moderated_node_ids(user)
    if nodes is None:
        return qs
    return qs.filter(**{f"{path}__in": nodes})


def forum_choices(user):
    """Forums (not categories) this member may see, for "move to" lists."""
    return Node.objects.forums().filter(pk__in=visible_node_ids(user))


def approval_queue(user, limit: int = 100) -> list[Post]:
    """Posts waiting for approval in the nodes this moderator moderates, oldest
    first (held threads show as their opening post)."""
    qs = Post.objects.filter(is_approved=False, is_deleted=False).select_related(
        "thread", "thread__node", "author"
    )
    qs = _in_moderated_nodes(qs, user, "thread__node_id")
    return list(qs.order_by("created_at", "pk")[:limit])


def queue_size(user) -> int:
    qs = Post.objects.filter(is_approved=False, is_deleted=False)
    return _in_moderated_nodes(qs, user, "thread__node_id").count()


@dataclass
class ReportedPost:
    post: Post
    reports: list[Report] = field(default_factory=list)


def open_reports(user, limit: int = 200) -> list[ReportedPost]:
    """Open reports, one block per reported post, the most reported first."""
    qs = Report.objects.filter(status=Report.Status.OPEN).select_related(
        "post", "post__thread", "post__thread__node", "post__author", "reporter"
    )
    qs = _in_moderated_nodes(qs, user, "post__thread__node_id")
    blocks: dict[int, ReportedPost] = {}
    for report in qs.order_by("created_at", "pk")[:limit]:
        blocks.setdefault(report.post_id, ReportedPost(report.post)).reports.append(
            report
        )
    return sorted(blocks.values(), key=lambda b: (-len(b.reports), b.post.pk))


def open_report_count(user) -> int:
    qs = Report.objects.filter(status=Report.Status.OPEN)
    qs = _in_moderated_nodes(qs, user, "post__thread__node_id")
    return qs.values("post_id").distinct().count()


@dataclass
class LogRow:
    entry: ModeratorLog
    can_undo: bool


@dataclass
class LogPage:
    rows: list[LogRow]
    nav: PageNav


def log_page(user, page: int) -> LogPage:
    qs = ModeratorLog.objects.select_related("undone_by")
    nodes = moderated_node_ids(user)
    if nodes is not None:
        qs = qs.filter(node_id__in=nodes)
    total = qs.count()
    nav = page_nav(page, -(-total // PER_PAGE))
    start = (nav.current - 1) * PER_PAGE
    rows = [
        LogRow(entry, can_be_undone(entry) and can_view_log_entry(user, entry))
        for entry in qs[start : start + PER_PAGE]
    ]
    return LogPage(rows=rows, nav=nav)


@dataclass
class MemberLogRow:
    entry: ModeratorLog
    appeal: object  # the member's Appeal, or None
    can_appeal: bool


@dataclass
class MemberLogPage:
    rows: list[MemberLogRow]
    nav: PageNav


def member_log_page(member, page: int) -> MemberLogPage:
    """What moderators did to the member's content and account, newest first,
    with the member's appeal of each (their own actions are not listed)."""
    qs = ModeratorLog.objects.filter(subject=member).exclude(actor=member)
    total = qs.count()
    nav = page_nav(page, -(-total // PER_PAGE))
    start = (nav.current - 1) * PER_PAGE
    entries = list(qs[start : start + PER_PAGE])
    found = {a.entry_id: a for a in Appeal.objects.filter(entry__in=entries)}
    rows = [
        MemberLogRow(
            entry,
            found.get(entry.pk),
            entry.pk not in found and may_appeal(member, entry),
        )
        for entry in entries
    ]
    return MemberLogPage(rows=rows, nav=nav)


def open_appeals(user, limit: int = 100) -> list:
    """Open appeals on entries this moderator may see, oldest first."""
    qs = Appeal.objects.filter(status=Appeal.Status.OPEN).select_related(
        "entry", "member"
    )
    nodes = moderated_node_ids(user)
    if nodes is not None:
        qs = qs.filter(entry__node_id__in=nodes)
    return list(qs[:limit])


@dataclass
class IpUser:
    author_id: int | None
    author_name: str
    posts: int
    last_used: object


def members_by_ip(ip: str) -> list[IpUser]:
    rows = (
        Post.objects.filter(ip_address=ip)
        .values("author_id", "author_name")
        .annotate(posts=Count("pk"), last_used=Max("created_at"))
        .order_by("-last_used")
    )
    return [IpUser(**row) for row in rows[:200]]


def ips_of_member(member, limit: int = 50) -> list[dict]:
    return list(
        Post.objects.filter(author=member, ip_address__isnull=False)
        .values("ip_address")
        .annotate(posts=Count("pk"), last_used=Max("created_at"))
        .order_by("-last_used")[:limit]
    )


def retention_days() -> int:
    return getattr(settings, "FORUM_IP_RETENTION_DAYS", 90)


def unapproved_in(thread_id: int) -> int:
    return Post.objects.filter(
        Q(thread_id=thread_id) & Q(is_approved=False) & Q(is_deleted=False)
    ).count()


@dataclass
class ContentCounts:
    threads: int
    thread_posts: int
    other_posts: int


def content_counts(member) -> ContentCounts:
    """What a spam clean-up of the member would delete (its confirmation)."""
    threads = Thread.objects.filter(starter=member, is_deleted=False)
    thread_ids = list(threads.values_list("pk", flat=True))
    in_threads = Post.objects.filter(thread_id__in=thread_ids, is_deleted=False)
    others = (
        Post.objects.filter(author=member, is_deleted=False)
        .exclude(position=0)
        .exclude(thread_id__in=thread_ids)
    )
    return ContentCounts(len(thread_ids), in_threads.count(), others.count())
