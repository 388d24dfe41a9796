"""Members' side (report a post, the ban notice) and the moderator's
member tools (warn, ban, spam clean-up, IP addresses)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from forum.moderation import forms, selectors
from forum.moderation.models import Ban, MemberWarning
from forum.moderation.services import community
from forum.moderation.services.community import ReportRefused
from forum.moderation.services.structure import ModerationRefused
from forum.moderation.views.common import (
    Crumb,
    confirm_page,
    confirmed,
    thread_crumbs,
)
from forum.policy import (
    active_ban,
    ban_message,
    can_act_on_member,
    can_look_up_ip,
    can_report,
    can_view_ip,
    can_warn,
    is_banned,
    report_refusal,
    require,
)
from forum.posts.selectors import get_post_for_user_or_404

User = get_user_model()


@login_required
def report(request, pk: int):
    post = get_post_for_user_or_404(request.user, pk)
    require(can_report(request.user, post), report_refusal(request.user, post))
    posted = request.POST if request.method == "POST" else None
    form = forms.ReportForm(posted)
    if posted is not None and form.is_valid():
        try:
            community.report_post(
                reporter=request.user, post=post, reason=form.cleaned_data["reason"]
            )
        except ReportRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, "Thank you: the moderators will look at this post."
            )
            return redirect(post.get_thread_url())
    context = {"post": post, "form": form, "crumbs": thread_crumbs(post.thread)}
    return render(request, "moderation/report.html", context)


def banned(request):
    ban = active_ban(request.user)
    return render(
        request,
        "moderation/banned.html",
        {"ban": ban, "message": ban_message(request.user)},
    )


# --- the moderator's member tools -------------------------------------------------


def _member_for_tools(request, pk: int):
    member = get_object_or_404(User, pk=pk)
    require(
        can_warn(request.user, member) or can_act_on_member(request.user, member),
        "You may not moderate this member.",
    )
    return member


@login_required
def member_tools(request, pk: int):
    return _tools_page(request, _member_for_tools(request, pk))


def _tools_page(request, member, *, status: int = 200, **bound):
    """The member tools; a refused form comes back `bound`, with its errors and
    what the moderator typed."""
    context = {
        "member": member,
        "warnings": MemberWarning.objects.filter(member=member).select_related(
            "post__thread"
        )[:50],
        "bans": Ban.objects.filter(member=member)[:20],
        "points": community.active_points(member),
        "current_ban": community.current_ban(member),
        "is_banned": is_banned(member),
        "can_ban": can_act_on_member(request.user, member),
        "can_warn": can_warn(request.user, member),
        "ips": selectors.ips_of_member(member)
        if can_look_up_ip(request.user)
        else None,
        "warn_form": forms.WarnForm(),
        "ban_form": forms.BanForm(),
        "spam_form": forms.SpamCleanForm(),
    }
    return render(request, "moderation/member.html", context | bound, status=status)


@login_required
@require_POST
def warn(request, pk: int):
    member = _member_for_tools(request, pk)
    require(can_warn(request.user, member), "You may not warn this member.")
    form = forms.WarnForm(request.POST)
    if not form.is_valid():
        return _tools_page(request, member, warn_form=form, status=400)
    result = community.warn_member(
        actor=request.user,
        member=member,
        points=form.cleaned_data["points"],
        reason=form.cleaned_data["reason"],
        days=form.cleaned_data["days"],
    )
    text = f"{member} warned: {result.points} active points."
    if result.ban:
        text += " That reached the limit: they are banned for a while."
    messages.success(request, text)
    return redirect(_tools_url(member))


@login_required
def warn_post(request, pk: int):
    """Warn the author of a post, for that post: the warning, the alert and the
    log entries name it."""
    post = get_post_for_user_or_404(request.user, pk)
    member = post.author
    if member is None:
        raise Http404("The author of this post has left.")
    require(can_warn(request.user, member), "You may not warn this member.")
    posted = request.POST if request.method == "POST" else None
    form = forms.WarnForm(posted, initial={"reason": ""})
    if posted is not None and form.is_valid():
        result = community.warn_member(
            actor=request.user,
            member=member,
            points=form.cleaned_data["points"],
            reason=form.cleaned_data["reason"],
            days=form.cleaned_data["days"],
            post=post,
        )
        text = (
            f"{member} warned for post #{post.number}: {result.points} active points."
        )
        if result.ban:
            text += " That reached the limit: they are banned for a while."
        messages.success(request, text)
        return redirect(post.get_absolute_url())
    return render(
        request,
        "moderation/warn_post.html",
        {"post": post, "member": member, "form": form},
        status=400 if posted is not None else 200,
    )


@login_required
@require_POST
def ban(request, pk: int):
    member = _member_for_tools(request, pk)
    require(can_act_on_member(request.user, member), "You may not ban this member.")
    form = forms.BanForm(request.POST)
    if not form.is_valid():
        return _tools_page(request, member, ban_form=form, status=400)
    if not confirmed(request):
        days = form.cleaned_data["days"]
        return confirm_page(
            request,
            title=f"Ban {member}",
            action_url=request.path,
            consequences=[
                f"Ban {member} "
                + (f"for {_n(days, 'day')}" if days else "permanently")
                + ": they can read but not post, react or report.",
                "Show them the reason on every page they open.",
                "Stay in the moderator log, where Undo lifts the ban.",
            ],
            button="Ban",
            cancel_url=_tools_url(member),
            crumbs=_member_crumbs(member),
            reason_required=True,
        )
    community.ban_member(
        actor=request.user,
        member=member,
        reason=form.cleaned_data["reason"],
        days=form.cleaned_data["days"],
    )
    messages.success(request, f"{member} is banned.")
    return redirect(_tools_url(member))


@login_required
@require_POST
def lift(request, pk: int):
    member = _member_for_tools(request, pk)
    require(can_act_on_member(request.user, member), "You may not ban this member.")
    current = community.current_ban(member)
    if current is not None:
        community.lift_ban(actor=request.user, ban=current)
        messages.success(request, f"The ban on {member} is lifted.")
    return redirect(_tools_url(member))


@login_required
@require_POST
def spam_clean(request, pk: int):
    member = _member_for_tools(request, pk)
    require(can_act_on_member(request.user, member), "You may not ban this member.")
    form = forms.SpamCleanForm(request.POST)
    if not request.POST.get("confirm"):
        counts = selectors.content_counts(member)
        return confirm_page(
            request,
            title=f"Spam clean-up of {member}",
            action_url=request.path,
            consequences=[
                f"Ban {member} permanently.",
                f"Delete the {_n(counts.threads, 'thread')} they started, with "
                f"{_n(counts.thread_posts, 'post')} in them.",
                f"Delete their {_n(counts.other_posts, 'other post')} in other "
                "threads.",
                "Stay in the moderator log as one entry, whose Undo restores it all.",
            ],
            button="Ban and delete everything",
            cancel_url=_tools_url(member),
            crumbs=_member_crumbs(member),
            reason_required=True,
        )
    if not form.is_valid():
        return _tools_page(request, member, spam_form=form, status=400)
    try:
        community.clean_spammer(
            actor=request.user, member=member, reason=form.cleaned_data["reason"]
        )
    except ModerationRefused as refusal:
        form.add_error(None, str(refusal))
        return _tools_page(request, member, spam_form=form, status=400)
    messages.success(
        request, f"{member} is banned and their posts are deleted (undo in the log)."
    )
    return redirect(_tools_url(member))


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _member_crumbs(member) -> list[Crumb]:
    """The breadcrumb to a member's moderator tools page."""
    from django.urls import reverse

    return [
        Crumb("Moderation", reverse("moderation:index")),
        Crumb(str(member), _tools_url(member)),
    ]


def _tools_url(member) -> str:
    from django.urls import reverse

    return reverse("moderation:member", kwargs={"pk": member.pk})


# --- IP addresses -----------------------------------------------------------------


@login_required
def post_ip(request, pk: int):
    post = get_post_for_user_or_404(request.user, pk)
    require(can_view_ip(request.user, post), "Only moderators may see IP addresses.")
    return render(
        request,
        "moderation/post_ip.html",
        {
            "post": post,
            "can_look_up": can_look_up_ip(request.user),
            "retention_days": selectors.retention_days(),
        },
    )


@login_required
def ip_members(request):
    require(can_look_up_ip(request.user), "Only staff may look up IP addresses.")
    form = forms.IpForm(request.GET or None)
    rows = selectors.members_by_ip(form.cleaned_data["ip"]) if form.is_valid() else []
    return render(request, "moderation/ip_members.html", {"form": form, "rows": rows})
