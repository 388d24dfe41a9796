"""Bookmark writes. They change no shared page: the thread page reads a member's
bookmarks (and an author's counts) per viewer, so nothing is invalidated."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from forum.bookmarks.models import MAX_LABEL, MAX_LABELS, MAX_NOTE, Bookmark
from forum.policy import can_view_post


def parse_labels(text: str) -> list[str]:
    """ "Reading list, jf-17 , reading list" -> ["Reading list", "jf-17"]: comma
    separated, trimmed, the first spelling of each (case-insensitive) kept, at
    most MAX_LABELS of MAX_LABEL characters."""
    seen: dict[str, str] = {}
    for raw in text.split(","):
        label = " ".join(raw.split())[:MAX_LABEL]
        if label and label.casefold() not in seen:
            seen[label.casefold()] = label
    return list(seen.values())[:MAX_LABELS]


@transaction.atomic
def add_bookmark(*, user, post, note: str = "", labels: list[str] | None = None):
    """Bookmark a post the member may see (again: its note and labels are kept
    unless given, its thread and author brought up to date). Returns it."""
    if not user.is_authenticated or not can_view_post(user, post):
        raise PermissionDenied("You cannot bookmark this message.")
    bookmark, created = Bookmark.objects.get_or_create(
        user=user,
        post=post,
        defaults={
            "thread_id": post.thread_id,
            "post_author_id": post.author_id,
            "note": note[:MAX_NOTE],
            "labels": labels or [],
        },
    )
    if not created:
        bookmark.thread_id = post.thread_id
        bookmark.post_author_id = post.author_id
        if note:
            bookmark.note = note[:MAX_NOTE]
        if labels:
            bookmark.labels = labels
        bookmark.save(update_fields=["thread", "post_author", "note", "labels"])
    return bookmark


def update_bookmark(*, bookmark, note: str, labels: list[str]) -> Bookmark:
    """Set a bookmark's note and labels (the caller owns it)."""
    bookmark.note = note[:MAX_NOTE]
    bookmark.labels = labels[:MAX_LABELS]
    bookmark.save(update_fields=["note", "labels"])
    return bookmark


def remove_bookmark(*, bookmark) -> None:
    bookmark.delete()
