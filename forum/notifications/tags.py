"""Watching tags: a new thread filed under a tag alerts the members watching it
(in the fan-out of its first post, forum/notifications/fanout.py, with the
forum's watchers: each member once, only if they may see the forum and do not
ignore the starter), and the "watched only" filter of forum pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from forum.core.safe_redirect import safe_next
from forum.notifications.models import TagWatch
from forum.threads import listing
from forum.threads.selectors import get_tag_for_viewer_or_404

# The watchers of the new thread's tags, since before it was made.
TAG_WATCHERS = (
    "SELECT w.user_id FROM notifications_tagwatch w"
    " JOIN threads_threadtag tt ON tt.tag_id = w.tag_id"
    " WHERE tt.thread_id = %(thread)s AND %(new_thread)s"
    " AND w.created_at <= %(posted_at)s"
)

WATCHED_FILTER = listing.ViewerFilter(
    name="watched",
    label="Watched only",
    sql="EXISTS (SELECT 1 FROM notifications_threadwatch w"
    " WHERE w.user_id = %(viewer)s AND w.thread_id = t.id)",
)


def watch_tag(*, user, tag) -> TagWatch:
    """Watch a tag (again: nothing changes)."""
    watch, _ = TagWatch.objects.get_or_create(user=user, tag=tag)
    return watch


def unwatch_tags(*, user, tag_ids) -> int:
    deleted, _ = TagWatch.objects.filter(user=user, tag_id__in=list(tag_ids)).delete()
    return deleted


@login_required
def watch_tag_view(request, key: str):
    """Watch a tag or stop (the tag page's link leads here; a plain form): a
    tag this member may know of (forum.threads.selectors)."""
    tag = get_tag_for_viewer_or_404(request.user, key)
    watching = TagWatch.objects.filter(user=request.user, tag=tag).exists()
    if request.method == "POST":
        if request.POST.get("action") == "unwatch":
            unwatch_tags(user=request.user, tag_ids=[tag.pk])
            messages.success(request, f"You are no longer watching “{tag.name}”.")
        else:
            watch_tag(user=request.user, tag=tag)
            messages.success(request, f"You are watching “{tag.name}”.")
        back = tag.get_absolute_url()
        return redirect(safe_next(request, request.POST.get("next"), back))
    context = {"tag": tag, "watching": watching}
    return render(request, "notifications/watch_tag.html", context)
