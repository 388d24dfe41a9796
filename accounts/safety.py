"""Account safety around sign-in: the notice of a sign-in from a browser this
member has not used before, and the rule that staff use a second factor.

A browser is "known" by the signed cookie of accounts/login_limits.py (set on
every sign-in, a year long): no fingerprinting. A member's first sign-in ever
sends no notice (they just made the account)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse

from accounts import login_limits
from forum.core.http import client_ip
from forum.core.mail import queue_mail


def note_sign_in(request, user) -> None:
    """At the password step (the member is known, the sign-in may still need
    a second step in a later request): whether to send a notice when the
    sign-in completes."""
    request.session["forum_new_browser"] = bool(
        user.last_login is not None and not login_limits.knows_member(request, user)
    )


def after_sign_in(request, user) -> None:
    """The sign-in completed: queue the notice when note_sign_in said so."""
    if not request.session.pop("forum_new_browser", False) or not user.email:
        return
    context = {
        "user": user,
        "site_name": settings.SITE_NAME,
        "address": client_ip(request) or "an unknown address",
        "browser": request.META.get("HTTP_USER_AGENT", "")[:200]
        or "an unknown browser",
        "sessions_url": request.build_absolute_uri(reverse("usersessions_list")),
        "password_url": request.build_absolute_uri(reverse("account_change_password")),
    }
    queue_mail(
        to=[user.email],
        subject=f"[{settings.SITE_NAME}] A new sign-in to your account",
        body=render_to_string("accounts/email/new_sign_in.txt", context),
        kind="new_sign_in",
    )


# Paths a staff member may open before setting up a second factor: the sign-in
# and account pages (setting it up, signing out), files.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/media/", "/-/", "/csp-report/")


def _has_second_factor(request, user) -> bool:
    from allauth.mfa.models import Authenticator

    if request.session.get("forum_mfa_ok") == user.pk:
        return True
    found = Authenticator.objects.filter(user_id=user.pk).exists()
    if found:
        request.session["forum_mfa_ok"] = user.pk
    return found


class StaffSecondFactorMiddleware:
    """With settings.FORUM_STAFF_MFA_REQUIRED, a staff member without a second
    factor is sent to set one up before any other page (goes after allauth's
    AccountMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            getattr(settings, "FORUM_STAFF_MFA_REQUIRED", False)
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and not request.path.startswith(_OPEN_PREFIXES)
            and not _has_second_factor(request, user)
        ):
            messages.warning(
                request,
                "Staff accounts need two-step verification. Please set up an "
                "authenticator app before you go on.",
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
