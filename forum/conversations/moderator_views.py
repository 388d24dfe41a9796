"""The moderators' desk for conversations: held messages, reported messages
(each with only the context copied when it was reported), and a member's right
to start conversations. No page here shows a conversation itself."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from forum.conversations import moderation
from forum.conversations.models import Message, MessageReport
from forum.policy import can_moderate_conversations, can_revoke_conversations, require

User = get_user_model()


def _require(request):
    require(can_moderate_conversations(request.user), "You can't do that.")


@login_required
def desk(request):
    _require(request)
    name = request.GET.get("member", "").strip()
    if name:
        member = User.objects.filter(username__iexact=name).first()
        if member is not None:
            return redirect("conversations:member_right", pk=member.pk)
        messages.error(request, f"No member is called “{name}”.")
    context = {
        "held": moderation.held_messages(),
        "reports": moderation.open_reports(),
    }
    return render(request, "conversations/desk.html", context)


@login_required
@require_POST
def held(request, pk: int):
    _require(request)
    found = get_object_or_404(Message, pk=pk, is_approved=False)
    if request.POST.get("action") == "approve":
        moderation.approve_message(actor=request.user, message=found)
        messages.success(request, "The message is approved.")
    else:
        moderation.reject_message(
            actor=request.user, message=found, reason=request.POST.get("reason", "")
        )
        messages.success(request, "The message is rejected.")
    return redirect("conversations:desk")


@login_required
@require_POST
def handle_report(request, pk: int):
    _require(request)
    found = get_object_or_404(MessageReport, pk=pk, status=MessageReport.Status.OPEN)
    outcome = request.POST.get("outcome")
    if outcome not in ("resolved", "rejected"):
        outcome = "resolved"
    moderation.handle_report(actor=request.user, report=found, outcome=outcome)
    messages.success(request, "The report is closed.")
    return redirect("conversations:desk")


@login_required
def member_right(request, pk: int):
    """Withdraw or give back a member's right to start conversations."""
    member = get_object_or_404(User, pk=pk)
    require(
        can_revoke_conversations(request.user, member),
        "You can't change this member's conversations.",
    )
    if request.method == "POST":
        allowed = request.POST.get("allowed") == "1"
        moderation.set_may_start(
            actor=request.user,
            member=member,
            allowed=allowed,
            reason=request.POST.get("reason", "")[:250],
        )
        if allowed:
            messages.success(request, f"{member.username} may start conversations.")
        else:
            messages.success(
                request, f"{member.username} may no longer start conversations."
            )
        return redirect("conversations:member_right", pk=member.pk)
    return render(request, "conversations/member_right.html", {"member": member})
