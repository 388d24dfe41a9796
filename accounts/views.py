"""Member pages: the profile and the members list."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render

from accounts.titles import title_for

User = get_user_model()


def profile(request, pk: int, slug: str = ""):
    member = get_object_or_404(User, pk=pk, is_active=True)
    if slug != member.slug:
        return redirect(member.get_absolute_url(), permanent=True)
    return render(
        request,
        "accounts/profile.html",
        {"member": member, "member_title": title_for(member)},
    )


def members(request):
    rows = User.objects.active().order_by("-message_count", "pk")[:50]
    return render(request, "accounts/members.html", {"members": rows})
