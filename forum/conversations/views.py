"""Conversation pages. Every one starts from the viewer's participant row
(selectors.get_participant_or_404): a conversation someone does not take part
in is a 404 for them, whoever they are. Rendered for the viewer alone (nothing
here is shared between members)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from forum.conversations import selectors, services
from forum.conversations.forms import InviteForm, ReplyForm, ReportForm, StartForm
from forum.conversations.models import MESSAGES_PER_PAGE
from forum.conversations.moderation import ModerationRefused, report_message
from forum.core import ratelimit
from forum.core.pagination import parse_page
from forum.policy import (
    can_invite,
    can_moderate_conversations,
    can_reply_conversation,
    can_report_message,
    can_start_conversation,
    can_use_conversations,
    require,
    start_refusal,
)
from forum.posts import composer, extensions
from forum.posts.drafts.services import discard_draft

User = get_user_model()


def _limited(request, action: str, noun: str) -> str | None:
    try:
        ratelimit.check(action, key=f"u{request.user.pk}", noun=noun)
    except ratelimit.RateLimited as refusal:
        return str(refusal)
    return None


@login_required
def inbox(request):
    require(
        can_use_conversations(request.user),
        "Please confirm your e-mail address to use conversations.",
    )
    query = request.GET.get("q", "").strip()[:200]
    which = request.GET.get("filter", "")
    if query:
        refused = _limited(request, "search", "searches")
        if refused:
            messages.error(request, refused)
            query = ""
    box = selectors.inbox(
        request.user, which=which, query=query, page=parse_page(request.GET.get("page"))
    )
    context = {
        "inbox": box,
        "may_start": can_start_conversation(request.user),
        "may_moderate": can_moderate_conversations(request.user),
    }
    return render(request, "conversations/inbox.html", context)


@login_required
def add(request):
    """Start a conversation: recipients, title, the first message."""
    user = request.user
    require(can_start_conversation(user), start_refusal(user))
    place = "conversation:0"
    box = composer.compose(request, place=place, may_upload=False)
    if request.method == "POST":
        form = StartForm(request.POST)
        if not box.holds and form.is_valid():
            refused = _limited(request, "conversation", "new conversations")
            if refused:
                form.add_error(None, refused)
            else:
                try:
                    conversation = services.start_conversation(
                        starter=user,
                        title=form.cleaned_data["title"],
                        recipients=form.cleaned_data["recipients"],
                        body=form.cleaned_data["body"],
                        open_invite=form.cleaned_data["open_invite"],
                    )
                except services.ConversationRefused as refusal:
                    form.add_error(None, str(refusal))
                else:
                    discard_draft(owner=user, place=place)
                    if conversation.pending_recipients:
                        messages.info(
                            request,
                            "Your message is waiting for a moderator: the others "
                            "will see the conversation once it is approved.",
                        )
                    return redirect(conversation.get_absolute_url())
    else:
        initial = {}
        to = request.GET.get("to", "")
        if to.isdigit():
            member = User.objects.filter(pk=int(to), is_active=True).first()
            if member is not None:
                initial["recipients"] = member.username
        body = composer.restore_draft(request, box)
        if box.draft is not None:
            initial |= {"title": box.draft.title, "body": body}
        form = StartForm(initial=initial)
    return render(request, "conversations/add.html", {"form": form, "composer": box})


def _page_context(request, participant, page: int, form=None, box=None):
    user = request.user
    data = selectors.conversation_page(user, participant, page)
    if data.last_shown:
        services.mark_read(user=user, participant=participant, position=data.last_shown)
    may_reply = can_reply_conversation(user, participant)
    place = f"conversation:{participant.conversation_id}"
    if may_reply and box is None:
        box = composer.compose(request, place=place, may_upload=False)
        if form is None:
            form = ReplyForm(initial={"body": composer.restore_draft(request, box)})
    return {
        "page": data,
        "conversation": participant.conversation,
        "participant": participant,
        "may_reply": may_reply,
        "may_invite": can_invite(user, participant.conversation, participant),
        "form": form,
        "composer": box,
        # The author card's Follow, Ignore and Start conversation, as on a
        # thread page (drawn by the app that registered them).
        "PER_VIEWER_PARTS": {
            name: make(request, {})
            for name, make in extensions.viewer_parts("thread").items()
            if name == "author-tools"
        },
    }


@login_required
def view(request, pk: int, page: int = 1):
    participant = selectors.get_participant_or_404(request.user, pk)
    context = _page_context(request, participant, page)
    return render(request, "conversations/conversation.html", context)


@login_required
def unread(request, pk: int):
    """The first message the member has not read (the alert's link)."""
    participant = selectors.get_participant_or_404(request.user, pk)
    conversation = participant.conversation
    position = min(participant.read_position + 1, max(1, conversation.last_position))
    page = (position - 1) // MESSAGES_PER_PAGE + 1
    return redirect(f"{conversation.get_absolute_url(page)}#m{position}")


@login_required
def message(request, pk: int):
    """A message's permalink: its page, at the message."""
    found, participant = selectors.message_for_participant_or_404(request.user, pk)
    conversation = participant.conversation
    if found.position is None:
        page = conversation.page_count
    else:
        page = found.page
    return redirect(f"{conversation.get_absolute_url(page)}#message-{found.pk}")


@login_required
def reply(request, pk: int):
    participant = selectors.get_participant_or_404(request.user, pk)
    user = request.user
    if request.method != "POST":
        return redirect(participant.conversation.get_absolute_url())
    if not can_reply_conversation(user, participant):
        # Refused after typing: the 403 page gives the text back.
        raise PermissionDenied("You can no longer write in this conversation.")
    place = f"conversation:{pk}"
    box = composer.compose(request, place=place, may_upload=False)
    form = ReplyForm(request.POST)
    if not box.holds and form.is_valid():
        refused = _limited(request, "conversation_message", "messages")
        if refused:
            form.add_error(None, refused)
        else:
            try:
                written = services.reply(
                    author=user, participant=participant, body=form.cleaned_data["body"]
                )
            except services.ConversationRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                discard_draft(owner=user, place=place)
                if not written.is_approved:
                    messages.info(request, "Your message is waiting for a moderator.")
                return redirect(written.get_absolute_url())
    page = participant.conversation.page_count
    context = _page_context(request, participant, page, form=form, box=box)
    return render(request, "conversations/conversation.html", context, status=200)


@login_required
def invite(request, pk: int):
    participant = selectors.get_participant_or_404(request.user, pk)
    conversation = participant.conversation
    user = request.user
    require(
        can_invite(user, conversation, participant),
        "You may not invite members to this conversation.",
    )
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refused = _limited(request, "conversation_invite", "invitations")
        if refused:
            form.add_error(None, refused)
        else:
            try:
                added = services.invite(
                    inviter=user,
                    participant=participant,
                    recipients=form.cleaned_data["recipients"],
                )
            except services.ConversationRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, f"{added} more in this conversation.")
                return redirect(conversation.get_absolute_url())
    context = {"conversation": conversation, "form": form}
    return render(request, "conversations/invite.html", context)


@login_required
@require_POST
def leave(request, pk: int):
    participant = selectors.get_participant_or_404(request.user, pk)
    ignore = request.POST.get("ignore") == "1"
    services.leave(participant=participant, ignore_future=ignore)
    if ignore:
        messages.success(
            request, "You left the conversation; its new messages will not reach you."
        )
    else:
        messages.success(
            request, "You left the conversation; a new message will bring it back."
        )
    return redirect("conversations:inbox")


@login_required
@require_POST
def star(request, pk: int):
    participant = selectors.get_participant_or_404(request.user, pk)
    services.set_starred(participant=participant, starred=not participant.starred)
    if request.POST.get("next") == "inbox":
        return redirect("conversations:inbox")
    return redirect(participant.conversation.get_absolute_url())


@login_required
def report(request, pk: int):
    found, participant = selectors.message_for_participant_or_404(request.user, pk)
    require(
        can_report_message(request.user, found, participant),
        "You can't report this message.",
    )
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refused = _limited(request, "report", "reports")
        if refused:
            form.add_error(None, refused)
        else:
            try:
                report_message(
                    reporter=request.user,
                    message=found,
                    reason=form.cleaned_data["reason"],
                )
            except ModerationRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request,
                    "Thank you: moderators will see this message and the few "
                    "around it, nothing else of the conversation.",
                )
                return redirect(found.get_absolute_url())
    context = {"message": found, "conversation": participant.conversation, "form": form}
    return render(request, "conversations/report.html", context)
