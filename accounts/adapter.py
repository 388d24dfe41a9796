"""allauth's hooks: the forum's username rules at sign-up."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from accounts.validators import normalize_username, username_skeleton, validate_username


class AccountAdapter(DefaultAccountAdapter):
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
