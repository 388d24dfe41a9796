"""The moderator pages: overview, approval queue, reports, the moderator log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from forum.core.pagination import parse_page
from forum.moderation import forms, selectors
from forum.moderation.models import ModeratorLog
from forum.moderation.services import community
from forum.moderation.services.structure import ModerationRefused
from forum.moderation.services.undo import undo_entry
from forum.moderation.views.common import back, refuse
from forum.policy import can_moderate, can_view_log_entry, is_moderator, require
from forum.posts.selectors import get_post_for_user_or_404

MODERATORS_ONLY = "Only moderators may see this page."


def _require_moderator(request):
    require(is_moderator(request.user), MODERATORS_ONLY)


@login_required
def overview(request):
    _require_moderator(request)
    return render(
        request,
        "moderation/index.html",
        {
            "queue_size": selectors.queue_size(request.user),
            "report_count": selectors.open_report_count(request.user),
        },
    )


@login_required
def queue(request):
    _require_moderator(request)
    return render(
        request,
        "moderation/queue.html",
        {"posts": selectors.approval_queue(request.user), "form": forms.RejectForm()},
    )


@login_required
def reports(request):
    _require_moderator(request)
    return render(
        request,
        "moderation/reports.html",
        {
            "blocks": selectors.open_reports(request.user),
            "form": forms.HandleReportForm(),
        },
    )


@login_required
@require_POST
def handle_reports(request, post_id: int):
    _require_moderator(request)
    post = get_post_for_user_or_404(request.user, post_id)
    require(can_moderate(request.user, post.thread.node), MODERATORS_ONLY)
    form = forms.HandleReportForm(request.POST)
    if not form.is_valid():
        return refuse(request, "Choose an outcome.", "/moderation/reports/")
    handled = community.handle_reports(
        actor=request.user,
        post=post,
        resolved=form.cleaned_data["outcome"] == "resolved",
        note=form.cleaned_data["note"],
    )
    messages.success(request, f"{handled.count} reports closed.")
    return back(request, "/moderation/reports/")


@login_required
def log(request):
    _require_moderator(request)
    page = selectors.log_page(request.user, parse_page(request.GET.get("page")))
    return render(request, "moderation/log.html", {"page": page})


@login_required
@require_POST
def undo(request, pk: int):
    _require_moderator(request)
    entry = get_object_or_404(ModeratorLog, pk=pk)
    if not can_view_log_entry(request.user, entry):
        raise Http404("No such log entry.")
    try:
        undo_entry(actor=request.user, entry=entry)
    except ModerationRefused as refusal:
        return refuse(request, str(refusal), "/moderation/log/")
    messages.success(request, f"Undone: {entry.get_action_display()}.")
    return back(request, "/moderation/log/")
