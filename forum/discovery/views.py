"""What's new, jump to the first unread post, and "mark read"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from forum.core.pagecache import guest_cached
from forum.core.pagination import parse_page
from forum.core.replica import reads_may_lag
from forum.discovery import reading, whats_new
from forum.policy import is_banned, is_moderator
from forum.policy.viewer_parts import chrome, member_page
from forum.threads import reading as read_state
from forum.threads.reading import unread_fillers
from forum.threads.selectors import (
    get_node_for_user_or_404,
    get_thread_for_user_or_404,
    thread_facts,
)

TABS = [
    ("posts", "New posts", "discovery:whats_new_posts"),
    ("threads", "New threads", "discovery:whats_new_threads"),
    ("activity", "Latest activity", "discovery:whats_new_activity"),
]


def _whats_new(request, kind: str, tab, canonical_name: str):
    """A What's new tab: shared by members of a role, with their unread markers
    as parts; "New posts, unread only" (?unread=1) is the member's alone."""
    page = parse_page(request.GET.get("page"))
    user = request.user
    unread_only = kind == "posts" and request.GET.get("unread") == "1"

    def context_for(viewer):
        data = tab(viewer, page, unread_only=True) if unread_only else tab(viewer, page)
        context = {
            "page": data,
            "tabs": [(name, label, reverse(url)) for name, label, url in TABS],
            "canonical_path": reverse(canonical_name),
        }
        facts = {"threads": [] if data.tab == "activity" else thread_facts(data.items)}
        return context, facts

    if unread_only and user.is_authenticated:  # a list only this member has
        context, facts = context_for(user)
        every_one_unread = {"unread": lambda arg, inner: True}
        context["PER_VIEWER_PARTS"] = chrome(request) | every_one_unread
        return render(request, "whats_new/whats_new.html", context)
    return member_page(
        request,
        kind=f"whats-new-{kind}",
        depends_on=["index"],
        template="whats_new/whats_new.html",
        context_for=context_for,
        parts=lambda facts: unread_fillers(user, facts or {}),
        facts=lambda viewer: (is_moderator(viewer), is_banned(viewer)),
    )


@guest_cached(lambda **_: ["index"])  # every new post bumps 'index'
@reads_may_lag(guests_only=True)
def whats_new_index(request):
    """The "What's new" tab a reader wants first: the new posts."""
    return _whats_new(
        request, "posts", whats_new.new_posts, "discovery:whats_new_posts"
    )


@guest_cached(lambda **_: ["index"])  # every new post bumps 'index'
@reads_may_lag(guests_only=True)
def whats_new_posts(request):
    return _whats_new(
        request, "posts", whats_new.new_posts, "discovery:whats_new_posts"
    )


@guest_cached(lambda **_: ["index"])  # every new post bumps 'index'
@reads_may_lag(guests_only=True)
def whats_new_threads(request):
    return _whats_new(
        request, "threads", whats_new.new_threads, "discovery:whats_new_threads"
    )


@guest_cached(lambda **_: ["index"])  # every new post bumps 'index'
@reads_may_lag(guests_only=True)
def whats_new_activity(request):
    return _whats_new(
        request, "activity", whats_new.latest_activity, "discovery:whats_new_activity"
    )


def jump_to_unread(request, pk: int, slug: str = ""):
    """To the first post this member has not read (its page and anchor), or the
    last post when everything is read."""
    thread = get_thread_for_user_or_404(request.user, pk)
    post = reading.first_unread_post(request.user, thread)
    if post is None:
        return redirect(thread.get_absolute_url())
    return redirect(post.get_thread_url())


@login_required
@require_POST
def mark_forum_read(request, pk: int, slug: str = ""):
    node = get_node_for_user_or_404(request.user, pk)
    read_state.mark_node_read(user=request.user, node=node)
    messages.success(request, f"{node.title} has been marked as read.")
    return redirect(node.get_absolute_url())


@login_required
@require_POST
def mark_all_read(request):
    read_state.mark_all_read(user=request.user)
    messages.success(request, "All forums have been marked as read.")
    return redirect("threads:index")
