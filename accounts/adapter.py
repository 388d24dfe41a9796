"""allauth's hooks: the forum's username rules at sign-up, and every mail
allauth sends (verification, password reset, "account already exists", ...)
through the outbox (forum/core/mail.py), so a mail server that is down never
turns sign-up or reset into an error page."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError

from accounts.validators import normalize_username, username_skeleton, validate_username
from forum.core.mail import queue_message


class AccountAdapter(DefaultAccountAdapter):
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
