"""The member's own moderation log ("Moderation of my posts") with appeals, and
the moderators' appeals queue. The member's log is per viewer and never a
shared render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from forum.core.pagination import parse_page
from forum.moderation import forms, selectors
from forum.moderation.models import Appeal, ModeratorLog
from forum.moderation.services import appeals
from forum.moderation.services.structure import ModerationRefused
from forum.moderation.services.undo import UNDOABLE
from forum.moderation.views.common import refuse
from forum.policy import can_view_log_entry, is_moderator, require


def _show_moderator() -> bool:
    return bool(getattr(settings, "FORUM_MODLOG_SHOW_MODERATOR", False))


@login_required
def my_log(request):
    page = selectors.member_log_page(request.user, parse_page(request.GET.get("page")))
    return render(
        request,
        "moderation/my_log.html",
        {"page": page, "show_moderator": _show_moderator()},
    )


@login_required
def appeal(request, pk: int):
    entry = get_object_or_404(ModeratorLog, pk=pk, subject=request.user)
    if not appeals.may_appeal(request.user, entry):
        raise Http404("This action cannot be appealed.")
    in_log = reverse("moderation:my_log") + f"#entry-{entry.pk}"
    if Appeal.objects.filter(entry=entry).exists():  # one appeal per action
        messages.info(request, "You have already appealed this action.")
        return redirect(in_log)
    posted = request.POST if request.method == "POST" else None
    form = forms.AppealForm(posted)
    if posted is not None and form.is_valid():
        try:
            appeals.appeal_action(
                member=request.user, entry=entry, text=form.cleaned_data["text"]
            )
        except appeals.AppealRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                "Your appeal has been sent. You will get an alert with the outcome.",
            )
            return redirect(in_log)
    return render(
        request,
        "moderation/appeal.html",
        {"entry": entry, "form": form, "show_moderator": _show_moderator()},
        status=400 if posted is not None else 200,
    )


@login_required
def queue(request):
    require(is_moderator(request.user), "Only moderators may see this page.")
    return render(
        request,
        "moderation/appeals.html",
        {
            "appeals": selectors.open_appeals(request.user),
            "undoable": [str(action) for action in UNDOABLE],
        },
    )


@login_required
@require_POST
def decide(request, pk: int):
    require(is_moderator(request.user), "Only moderators may see this page.")
    found = get_object_or_404(Appeal.objects.select_related("entry"), pk=pk)
    if not can_view_log_entry(request.user, found.entry):
        raise Http404("No such appeal.")
    form = forms.DecideAppealForm(request.POST)
    fallback = reverse("moderation:appeals")
    if not form.is_valid():
        return refuse(request, "Choose an outcome.", fallback)
    try:
        appeals.decide_appeal(
            actor=request.user,
            appeal=found,
            overturn=form.cleaned_data["outcome"] == "overturn",
            note=form.cleaned_data["note"],
        )
    except ModerationRefused as refusal:
        return refuse(request, str(refusal), fallback)
    messages.success(request, "The appeal is decided and the member has been told.")
    return redirect(fallback)
