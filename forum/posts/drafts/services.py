"""Saving, reading and deleting drafts."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from forum.posts.drafts.models import Draft


@dataclass(frozen=True)
class Saved:
    ok: bool  # False: a conflict, `draft` is the other save
    draft: Draft | None


def drafts_since():
    """Drafts saved before this have expired."""
    return timezone.now() - timedelta(days=settings.FORUM_DRAFT_DAYS)


def draft_for(owner, place: str) -> Draft | None:
    """The member's draft at a place, unless it has expired."""
    if not owner.is_authenticated or not owner.pk:
        return None
    return Draft.objects.filter(
        owner_id=owner.pk, place=place, updated_at__gte=drafts_since()
    ).first()


@transaction.atomic
def save_draft(
    *,
    owner,
    place: str,
    body: str,
    title: str = "",
    version: int = 0,
    force: bool = False,
) -> Saved:
    """Keep what the member is writing at `place`. `version` is the version the
    saving page last knew (0: none): if another tab saved since, nothing is
    written and the answer carries that other draft, unless `force` (the member
    chose to keep theirs). An empty text deletes the draft."""
    body = (body or "").replace("\x00", "")[: settings.FORUM_MAX_BODY_LENGTH * 2]
    title = (title or "").replace("\x00", "")[:200]
    current = Draft.objects.select_for_update().filter(owner=owner, place=place).first()
    if current is not None and current.updated_at < drafts_since():
        current.delete()
        current = None
    if current is not None and current.version != version and not force:
        if (current.body, current.title) != (body, title):
            return Saved(False, current)
    if not body.strip() and not title.strip():
        if current is not None:
            current.delete()
        return Saved(True, None)
    now = timezone.now()
    if current is None:
        try:
            with transaction.atomic():
                created = Draft.objects.create(
                    owner=owner, place=place, body=body, title=title, updated_at=now
                )
        except IntegrityError:  # the other tab's first save, a moment earlier
            return Saved(False, Draft.objects.get(owner=owner, place=place))
        return Saved(True, created)
    current.body, current.title, current.updated_at = body, title, now
    current.version += 1
    current.save(update_fields=["body", "title", "updated_at", "version"])
    return Saved(True, current)


def discard_draft(*, owner, place: str) -> None:
    """Posting (or the member's "Discard") removes the draft."""
    Draft.objects.filter(owner=owner, place=place).delete()


def delete_expired() -> int:
    """Drafts untouched for FORUM_DRAFT_DAYS (run daily: `prune_drafts`)."""
    return Draft.objects.filter(updated_at__lt=drafts_since()).delete()[0]
