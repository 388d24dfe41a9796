"""A member's own account settings (profile, avatar) and the admin's login."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import AvatarForm, ProfileForm
from forum.core.images import MAX_UPLOAD_BYTES, ImageRejected
from forum.core.safe_redirect import safe_next


@login_required
def account(request):
    return redirect("members:account_profile")


@login_required
def account_profile(request):
    member = request.user
    posted = request.method == "POST"
    form = ProfileForm(
        request.POST if posted else None, initial=ProfileForm.initial_for(member)
    )
    if posted and form.is_valid():
        services.update_profile(member=member, **form.cleaned_data)
        messages.success(request, "Your profile has been saved.")
        return redirect("members:account_profile")
    return render(request, "accounts/settings_profile.html", {"form": form})


@login_required
def account_avatar(request):
    member = request.user
    posted = request.method == "POST"
    form = AvatarForm(request.POST, request.FILES) if posted else AvatarForm()
    if posted and form.is_valid():
        upload = form.cleaned_data["avatar"]
        # One byte over the limit is enough for the size check to say no.
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        try:
            services.set_avatar(member=member, data=data, filename=upload.name)
        except ImageRejected as refusal:
            form.add_error("avatar", str(refusal))
        else:
            messages.success(request, "Your new avatar is in place.")
            return redirect("members:account_avatar")
    return render(
        request, "accounts/settings_avatar.html", {"form": form, "member": member}
    )


@login_required
@require_POST
def account_avatar_remove(request):
    services.remove_avatar(member=request.user)
    messages.success(request, "Your avatar has been removed.")
    return redirect("members:account_avatar")


def admin_login(request, extra_context=None):
    """The admin signs in through the forum's login page, so allauth's rate limits
    guard it too. Installed as admin.site.login in accounts/admin.py."""
    target = safe_next(request, request.GET.get("next"), reverse("admin:index"))
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(target)
        raise PermissionDenied("Only staff may use the admin.")
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
