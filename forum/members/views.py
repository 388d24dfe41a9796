"""Member pages: a profile, the members list, and deleting one's own account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.forms import DeleteAccountForm
from forum.core.pagecache import guest_cached
from forum.core.pagination import parse_page
from forum.members import selectors, services
from forum.members.forms import PrivacyForm
from forum.members.plugs import author_tools, follows, safe_next
from forum.members.selectors import get_member_for_user_or_404
from forum.policy import ignores, is_banned, is_moderator, is_staff
from forum.policy.viewer_parts import member_page


@guest_cached(lambda pk, **_: [f"member:{pk}"])
def profile(request, pk: int, slug: str = ""):
    """A member's profile: shared by members of a role (and cached for guests),
    with the Ignore button's state as a part; the member's own is theirs."""
    member = get_member_for_user_or_404(request.user, pk)
    if slug != member.slug:
        return redirect(member.get_absolute_url(), permanent=True)
    page = parse_page(request.GET.get("page"))
    user = request.user

    def context_for(viewer):
        data = selectors.profile_page(viewer, member, page)
        return {"page": data, "member": member}, None

    return member_page(
        request,
        kind="profile",
        depends_on=[f"member:{pk}"],
        template="members/profile.html",
        context_for=context_for,
        parts=lambda data: {
            "ignoring": lambda arg, inner: ignores(user, int(arg)),
            "following": lambda arg, inner: follows(user, int(arg)),
            "author-tools": author_tools(request),
        },
        facts=lambda viewer: (
            viewer.pk == member.pk,
            is_staff(viewer),
            is_moderator(viewer),
            is_banned(viewer),
        ),
    )


def members(request):
    page = selectors.members_page(
        order=request.GET.get("order", ""),
        query=request.GET.get("q", ""),
        page=parse_page(request.GET.get("page")),
    )
    return render(request, "members/members.html", {"page": page})


@login_required
@require_POST
def ignore(request, pk: int):
    """Ignore a member, or stop ignoring them (the profile's button)."""
    member = get_member_for_user_or_404(request.user, pk)
    if request.POST.get("undo"):
        services.unignore_member(member=request.user, ignored_id=member.pk)
        messages.success(request, f"You are no longer ignoring {member.username}.")
    else:
        try:
            services.ignore_member(member=request.user, ignored=member)
        except services.IgnoreRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                f"You are now ignoring {member.username}: their posts are collapsed.",
            )
    return redirect(safe_next(request, member.get_absolute_url()))


@login_required
@require_POST
def follow(request, pk: int):
    """Follow a member, or stop following them (profile and author card)."""
    member = get_member_for_user_or_404(request.user, pk)
    if request.POST.get("undo"):
        services.unfollow_member(member=request.user, followed_id=member.pk)
        messages.success(request, f"You no longer follow {member.username}.")
    else:
        try:
            services.follow_member(member=request.user, followed=member)
        except services.IgnoreRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"You now follow {member.username}.")
    return redirect(safe_next(request, member.get_absolute_url()))


@login_required
def privacy(request):
    """Who may start conversations with the member."""
    form = PrivacyForm(
        request.POST or None,
        initial={"conversation_privacy": request.user.conversation_privacy},
    )
    if request.method == "POST" and form.is_valid():
        services.set_conversation_privacy(
            member=request.user, privacy=form.cleaned_data["conversation_privacy"]
        )
        messages.success(request, "Your privacy choice is saved.")
        return redirect("members:privacy")
    following = selectors.members_by_ids(request.user.followed_members)
    ignoring = selectors.members_by_ids(request.user.ignored_members)
    context = {"form": form, "following": following, "ignoring": ignoring}
    return render(request, "members/privacy.html", context)


@login_required
def account_delete(request):
    member = request.user
    posted = request.method == "POST"
    form = DeleteAccountForm(request.POST if posted else None, member=member)
    if posted and form.is_valid():
        services.delete_account(member=member)
        logout(request)
        messages.success(
            request, "Your account has been deleted. Your posts remain, unsigned."
        )
        return redirect("threads:index")
    return render(request, "accounts/settings_delete.html", {"form": form})
