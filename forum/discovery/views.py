"""What's new, jump to the first unread post, and "mark read"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from forum.core.pagecache import guest_cached
from forum.core.pagination import parse_page
from forum.discovery import reading, whats_new
from forum.threads import reading as read_state
from forum.threads.selectors import get_node_for_user_or_404, get_thread_for_user_or_404

TABS = [
    ("posts", "New posts", "discovery:whats_new_posts"),
    ("threads", "New threads", "discovery:whats_new_threads"),
    ("activity", "Latest activity", "discovery:whats_new_activity"),
]


def _render_whats_new(request, data, canonical_name: str):
    return render(
        request,
        "whats_new/whats_new.html",
        {
            "page": data,
            "tabs": [(tab, label, reverse(name)) for tab, label, name in TABS],
            "canonical_path": reverse(canonical_name),
        },
    )


@guest_cached(lambda **_: ["index"])  # every new post bumps 'index'
def whats_new_index(request):
    """The "What's new" tab a reader wants first: the new posts."""
    data = whats_new.new_posts(request.user, parse_page(request.GET.get("page")))
    return _render_whats_new(request, data, "discovery:whats_new_posts")


@guest_cached(lambda **_: ["index"])  # every new post bumps 'index'
def whats_new_posts(request):
    data = whats_new.new_posts(request.user, parse_page(request.GET.get("page")))
    return _render_whats_new(request, data, "discovery:whats_new_posts")


@guest_cached(lambda **_: ["index"])  # every new post bumps 'index'
def whats_new_threads(request):
    data = whats_new.new_threads(request.user, parse_page(request.GET.get("page")))
    return _render_whats_new(request, data, "discovery:whats_new_threads")


@guest_cached(lambda **_: ["index"])  # every new post bumps 'index'
def whats_new_activity(request):
    data = whats_new.latest_activity(request.user, parse_page(request.GET.get("page")))
    return _render_whats_new(request, data, "discovery:whats_new_activity")


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
