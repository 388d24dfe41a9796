"""Reports, warnings, bans and the spam cleaner (their outcomes reach members as
alerts, forum.notifications)."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from forum.core import ratelimit
from forum.moderation.models import Ban, MemberWarning, Report
from forum.moderation.services.log import Action, Target, post_label, record
from forum.moderation.services.structure import ModerationRefused
from forum.notifications.services import Kind, notify
from forum.policy import snapshot as policy
from forum.posts import reactions
from forum.posts import services as post_services
from forum.posts.models import Post
from forum.posts.uploads.services import remove_member_files
from forum.threads.models import Thread

# --- reports --------------------------------------------------------------------


class ReportRefused(Exception):
    """str() is the message for the member."""


@transaction.atomic
def report_post(*, reporter, post: Post, reason: str) -> Report:
    """File a report: within the member's budget ("report" in
    FORUM_RATE_LIMITS), and one open report per member per post."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReportRefused("Please say what is wrong with this post.")
    try:
        ratelimit.check("report", key=f"u{reporter.pk}", noun="reports")
    except ratelimit.RateLimited as refusal:
        raise ReportRefused(str(refusal)) from None
    try:
        with transaction.atomic():
            return Report.objects.create(
                post=post, reporter=reporter, reason=reason[:1000]
            )
    except IntegrityError:
        raise ReportRefused(
            "You have already reported this post; a moderator will look at it."
        ) from None


@dataclass(frozen=True)
class Handled:
    count: int
    log_entry: object


@transaction.atomic
def handle_reports(*, actor, post: Post, resolved: bool, note: str = "") -> Handled:
    """Close every open report on a post, resolved (action taken) or rejected
    (nothing wrong); each reporter gets an alert with the outcome."""
    reports = list(
        Report.objects.select_for_update().filter(post=post, status=Report.Status.OPEN)
    )
    if not reports:
        return Handled(0, None)
    now = timezone.now()
    status = Report.Status.RESOLVED if resolved else Report.Status.REJECTED
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(
        status=status, handled_by=actor, handled_at=now, note=note[:500]
    )
    outcome = (
        "A moderator has dealt with the post you reported"
        if resolved
        else "A moderator looked at the post you reported and took no action"
    )
    text = f"{outcome}: {post_label(post)}."
    if note:
        text += f" Note: {note}"
    for report in reports:
        notify(
            user=report.reporter,
            kind=Kind.MODERATION,
            text=text,
            url=post.get_absolute_url(),
        )
    entry = record(
        actor=actor,
        action=Action.RESOLVE_REPORT if resolved else Action.REJECT_REPORT,
        target_type=Target.POST,
        target_id=post.pk,
        label=post_label(post),
        node_id=post.thread.node_id,
        reason=note,
        after={"report_ids": [r.pk for r in reports], "status": status},
    )
    return Handled(len(reports), entry)


# --- warnings and bans ----------------------------------------------------------


def active_points(member, now=None) -> int:
    now = now or timezone.now()
    total = (
        MemberWarning.objects.filter(member=member)
        .exclude(expires_at__lte=now)
        .aggregate(total=Sum("points"))["total"]
    )
    return total or 0


def current_ban(member) -> Ban | None:
    now = timezone.now()
    return (
        Ban.objects.filter(member=member, lifted_at__isnull=True)
        .exclude(expires_at__lte=now)
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def ban_member(
    *,
    actor,
    member,
    reason: str,
    days: int | None = None,
    source: str = Ban.Source.MANUAL,
    undo_of=None,
    log: bool = True,
) -> Ban:
    """Ban for `days` (None: permanently). The member can still read."""
    reason = (reason or "").strip()[:250] or "No reason given"
    expires_at = timezone.now() + timedelta(days=days) if days else None
    ban = Ban.objects.create(
        member=member,
        banned_by=actor,
        reason=reason,
        source=source,
        expires_at=expires_at,
    )
    policy.bump_version()
    until = "permanently" if expires_at is None else f"for {days} days"
    notify(
        user=member,
        kind=Kind.MODERATION,
        text=f"You have been banned {until}. Reason: {reason}",
    )
    if log:
        record(
            actor=actor,
            action=Action.BAN,
            target_type=Target.MEMBER,
            target_id=member.pk,
            label=member.username,
            reason=reason,
            after={
                "ban_id": ban.pk,
                "days": days,
                "source": source,
            },
            undo_of=undo_of,
        )
    return ban


@transaction.atomic
def lift_ban(*, actor, ban: Ban, reason: str = "", undo_of=None, log: bool = True):
    ban = Ban.objects.select_for_update().get(pk=ban.pk)
    if ban.lifted_at is not None:
        return None
    ban.lifted_at = timezone.now()
    ban.lifted_by = actor
    ban.save(update_fields=["lifted_at", "lifted_by"])
    policy.bump_version()
    if not log:
        return ban
    return record(
        actor=actor,
        action=Action.LIFT_BAN,
        target_type=Target.MEMBER,
        target_id=ban.member_id,
        label=ban.member.username,
        reason=reason,
        before={"ban_id": ban.pk},
        undo_of=undo_of,
    )


@dataclass(frozen=True)
class WarnResult:
    warning: MemberWarning
    points: int
    ban: Ban | None


@transaction.atomic
def warn_member(
    *,
    actor,
    member,
    points: int,
    reason: str,
    days: int | None = 30,
    post: Post | None = None,
) -> WarnResult:
    """Give warning points that expire after `days` (None: never). Reaching
    FORUM_WARNING_BAN_POINTS active points bans the member for
    FORUM_WARNING_BAN_DAYS (7) days, unless already banned."""
    if points < 1:
        raise ModerationRefused("A warning carries at least one point.")
    reason = (reason or "").strip()[:250]
    if not reason:
        raise ModerationRefused("Please give a reason for the warning.")
    # One warning at a time per member, so two moderators cannot both stay
    # under the threshold.
    type(member).objects.select_for_update().only("pk").get(pk=member.pk)
    expires_at = timezone.now() + timedelta(days=days) if days else None
    warning = MemberWarning.objects.create(
        member=member,
        given_by=actor,
        points=points,
        reason=reason,
        post=post,
        expires_at=expires_at,
    )
    total = active_points(member)
    notify(
        user=member,
        kind=Kind.MODERATION,
        text=f"You have received a warning ({points} points): {reason}",
        url=post.get_absolute_url() if post else "",
    )
    record(
        actor=actor,
        action=Action.WARN,
        target_type=Target.MEMBER,
        target_id=member.pk,
        label=member.username,
        node_id=post.thread.node_id if post else None,
        reason=reason,
        after={
            "warning_id": warning.pk,
            "points": points,
            "active_points": total,
            # The post that earned it, shown in the logs (the member's too).
            **({"post_id": post.pk, "post_label": post_label(post)} if post else {}),
        },
    )
    ban = None
    threshold = getattr(settings, "FORUM_WARNING_BAN_POINTS", 10)
    if total >= threshold and current_ban(member) is None:
        ban = ban_member(
            actor=actor,
            member=member,
            reason=f"{total} warning points: {reason}",
            days=getattr(settings, "FORUM_WARNING_BAN_DAYS", 7),
            source=Ban.Source.WARNINGS,
        )
    return WarnResult(warning=warning, points=total, ban=ban)


@transaction.atomic
def expire_warning(*, actor, warning: MemberWarning, undo_of=None):
    MemberWarning.objects.filter(pk=warning.pk).update(expires_at=timezone.now())
    return record(
        actor=actor,
        action=Action.EXPIRE_WARNING,
        target_type=Target.MEMBER,
        target_id=warning.member_id,
        label=warning.member.username,
        before={"warning_id": warning.pk},
        undo_of=undo_of,
    )


# --- the spam cleaner -----------------------------------------------------------


def _lock_out_reactions_in(thread_ids) -> None:
    # Every thread whose posts change visibility, in one order, before any row
    # lock (see forum/posts/reactions.py).
    for thread_id in sorted(set(thread_ids)):
        reactions.lock_out_reactions(thread_id)


@transaction.atomic
def clean_spammer(*, actor, member, reason: str = "Spam"):
    """Ban the member permanently and soft-delete every thread they started and
    every post of theirs elsewhere — one log entry, undone in one go."""
    reason = (reason or "Spam").strip()[:200]
    _lock_out_reactions_in(
        Post.objects.filter(author=member).values_list("thread_id", flat=True)
    )
    ban = ban_member(
        actor=actor, member=member, reason=reason, source=Ban.Source.SPAM, log=False
    )
    thread_ids = list(
        Thread.objects.filter(starter=member, is_deleted=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for thread in Thread.objects.filter(pk__in=thread_ids).order_by("pk"):
        post_services.delete_thread(actor=actor, thread=thread, reason=reason)
    post_ids = list(
        Post.objects.filter(author=member, is_deleted=False)
        .exclude(position=0)
        .exclude(thread_id__in=thread_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for post in Post.objects.filter(pk__in=post_ids).order_by("pk"):
        post_services.delete_post(actor=actor, post=post, reason=reason)
    # Their files go for good (undo restores the posts without them).
    removed = remove_member_files(member=member)
    return record(
        actor=actor,
        action=Action.SPAM_CLEAN,
        target_type=Target.MEMBER,
        target_id=member.pk,
        label=member.username,
        reason=reason,
        after={
            "ban_id": ban.pk,
            "thread_ids": thread_ids,
            "post_ids": post_ids,
            "files_removed": removed,
        },
    )


@transaction.atomic
def undo_spam_clean(*, actor, entry):
    """Lift the ban and restore exactly what the clean-up deleted."""
    _lock_out_reactions_in(
        [
            *entry.after.get("thread_ids", []),
            *Post.objects.filter(pk__in=entry.after.get("post_ids", [])).values_list(
                "thread_id", flat=True
            ),
        ]
    )
    ban = Ban.objects.filter(pk=entry.after.get("ban_id")).first()
    if ban is not None:
        lift_ban(actor=actor, ban=ban, log=False)
    for thread in Thread.objects.filter(pk__in=entry.after.get("thread_ids", [])):
        post_services.restore_thread(actor=actor, thread=thread)
    for post in Post.objects.filter(pk__in=entry.after.get("post_ids", [])):
        post_services.restore_post(actor=actor, post=post)
    return record(
        actor=actor,
        action=Action.UNDO_SPAM_CLEAN,
        target_type=Target.MEMBER,
        target_id=entry.target_id,
        label=entry.target_label,
        undo_of=entry,
    )


# --- IP addresses ---------------------------------------------------------------


def purge_old_ips(*, days: int | None = None, batch: int = 5000) -> int:
    """Forget the address of every post older than FORUM_IP_RETENTION_DAYS (90);
    in batches, so a large board is not locked for long. Returns how many."""
    days = (
        days if days is not None else getattr(settings, "FORUM_IP_RETENTION_DAYS", 90)
    )
    cutoff = timezone.now() - timedelta(days=days)
    total = 0
    while True:
        ids = list(
            Post.objects.filter(
                created_at__lt=cutoff, ip_address__isnull=False
            ).values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return total
        total += Post.objects.filter(pk__in=ids).update(ip_address=None)
