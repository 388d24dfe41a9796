"""allauth's hooks: the forum's username rules at sign-up; every mail allauth
sends (verification, password reset, "account already exists", ...) through
the outbox (forum/core/mail.py), so a mail server that is down never turns
sign-up or reset into an error page; and login throttling per account and
address (accounts/login_limits.py), with a notice e-mail for a sign-in from a
new browser (accounts/safety.py)."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError

from accounts import login_limits, safety
from accounts.validators import normalize_username, username_skeleton, validate_username
from forum.core.http import client_ip
from forum.core.mail import queue_message


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # allauth's own limit: failures from one address, whatever the login.
        "too_many_login_attempts": (
            "Too many failed sign-ins from your address. Please wait a few "
            "minutes and try again."
        ),
    }

    def get_client_ip(self, request) -> str:
        """The address every limit counts by: the forum's rule (the trusted
        proxy hops of settings.TRUSTED_PROXY_COUNT), allauth's limits included."""
        return client_ip(request) or super().get_client_ip(request)

    def pre_authenticate(self, request, **credentials) -> None:
        login_limits.check(request, credentials)
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            login_limits.record_success(request, credentials)
            safety.note_sign_in(request, user)
        return user

    def authentication_failed(self, request, **credentials) -> None:
        login_limits.record_failure(request, credentials)

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        safety.after_sign_in(request, user)
        login_limits.remember_browser(request, response, user)
        return response

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render as allauth does (in the request, so links carry its host),
        then queue instead of sending."""
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, full_context)
        queue_message(message, kind=template_prefix.rsplit("/", 1)[-1])

    def clean_username(self, username: str, shallow: bool = False) -> str:
        """Normalize (NFKC, single spaces), apply every rule in accounts.validators,
        then refuse a name taken in any letter case or one that looks like a
        taken name. `shallow` skips the database, as allauth's own hook does."""
        value = normalize_username(username)
        validate_username(value)
        if shallow:
            return value
        User = get_user_model()
        if User.objects.filter(username__iexact=value).exists():
            raise ValidationError(
                "This username is already taken. Please choose another.",
                code="username_taken",
            )
        look_alike = (
            User.objects.filter(username_skeleton=username_skeleton(value))
            .values_list("username", flat=True)
            .first()
        )
        if look_alike is not None:
            raise ValidationError(
                "This name looks too much like the existing member “%(name)s”. "
                "Please choose another.",
                code="username_look_alike",
                params={"name": look_alike},
            )
        return value
