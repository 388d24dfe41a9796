"""Writes to a member's own account: profile, avatar, last seen.

Deleting an account, which also renames the member's content, is
forum.members.services.delete_account.

One transaction per intent. Files (avatars) go through Django's storage API and are
removed only once the database change that stops pointing at them has committed.
"""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from forum.core.images import AVATAR_SIZES, process_avatar
from forum.core.markup import render_bbcode
from forum.core.media import content_digest, store_once
from forum.core.pagecache import invalidate

User = get_user_model()

LAST_SEEN_INTERVAL = timedelta(minutes=5)


def _render(text: str) -> str:
    return str(render_bbcode(text)) if text else ""


def update_profile(
    *,
    member,
    country: str,
    location: str,
    website: str,
    about: str,
    signature: str,
    theme: str,
    show_last_seen: bool,
    time_zone: str = "",
) -> None:
    """Store the member's profile, with about/signature rendered to HTML once here.

    The in-memory `member` is updated to match, so the page can render it at once.
    """
    fields = {
        "country": country,
        "location": location,
        "website": website,
        "about": about,
        "about_html": _render(about),
        "signature": signature,
        "signature_html": _render(signature),
        "theme": theme,
        "show_last_seen": show_last_seen,
        "time_zone": time_zone,
    }
    shown_with_posts = ("country", "location", "signature")
    changed_cards = any(getattr(member, n) != fields[n] for n in shown_with_posts)
    with transaction.atomic():
        User.objects.filter(pk=member.pk).update(**fields)
        member_changed(member.pk, everywhere=changed_cards)
    for name, value in fields.items():
        setattr(member, name, value)


def member_changed(pk: int, *, everywhere: bool = True) -> None:
    """The member's profile page shows something new; with `everywhere`, so does
    every page that shows their card (name, avatar, title, country, location,
    signature beside their posts): since a card can be on any page, every cached
    page is made afresh (profile edits are rare next to page views)."""
    invalidate(f"member:{pk}", *(["site"] if everywhere else []))


def avatar_file_names(prefix: str) -> list[str]:
    return [f"{prefix}-{size}.webp" for size in AVATAR_SIZES] if prefix else []


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def set_avatar(*, member, data: bytes, filename: str = "") -> str:
    """Re-encode an upload into the avatar sizes and make it the member's avatar.

    Raises forum.core.images.ImageRejected (message for the member) before anything
    is stored, so a refused upload leaves the old avatar as it was. The new files
    live under avatars/<member id>/<digest of their bytes> (so they may be cached
    for a year: forum.core.media); the old ones are deleted after commit.
    Returns the new storage prefix.
    """
    images = process_avatar(data, filename=filename)
    prefix = f"avatars/{member.pk}/{content_digest(*images.values())}"
    created: list[str] = []
    try:
        for size, content in images.items():
            name = f"{prefix}-{size}.webp"
            if not default_storage.exists(name):
                created.append(store_once(default_storage, name, content))
        with transaction.atomic():
            old = (
                User.objects.select_for_update()
                .values_list("avatar", flat=True)
                .get(pk=member.pk)
            )
            User.objects.filter(pk=member.pk).update(avatar=prefix)
            member_changed(member.pk)
            # The same picture again is the same files: nothing to delete.
            old_files = avatar_file_names(old) if old != prefix else []
            transaction.on_commit(lambda: _delete_files(old_files))
    except BaseException:
        _delete_files(created)
        raise
    member.avatar = prefix
    return prefix


def remove_avatar(*, member) -> None:
    """Back to the initial-letter avatar; the files go once that has committed."""
    with transaction.atomic():
        old = (
            User.objects.select_for_update()
            .values_list("avatar", flat=True)
            .get(pk=member.pk)
        )
        User.objects.filter(pk=member.pk).update(avatar="")
        member_changed(member.pk)
        old_files = avatar_file_names(old)
        transaction.on_commit(lambda: _delete_files(old_files))
    member.avatar = ""


def touch_last_seen(*, member, now: datetime | None = None) -> bool:
    """Record that the member is here, at most once per LAST_SEEN_INTERVAL.

    Costs nothing while the stored time is fresh; otherwise one UPDATE that only
    matches a stale row, so two concurrent requests write once. Returns whether
    anything was written.
    """
    now = now or timezone.now()
    cutoff = now - LAST_SEEN_INTERVAL
    if member.last_seen_at is not None and member.last_seen_at > cutoff:
        return False
    stale = Q(last_seen_at__isnull=True) | Q(last_seen_at__lte=cutoff)
    written = User.objects.filter(stale, pk=member.pk).update(last_seen_at=now)
    member.last_seen_at = now
    if written:
        invalidate(f"member:{member.pk}")  # their profile says when
    return bool(written)
