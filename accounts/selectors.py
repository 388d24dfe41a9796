"""Reads about an account: whether its e-mail address is confirmed.

Importable while models load (the policy questions ask it; model modules import
those): nothing here touches a model at import time.
"""


def has_verified_email(user) -> bool:
    """Whether the member has confirmed an e-mail address.

    Remembered on the user object for the request, and in the "pages" cache
    between requests (forgotten whenever one of the member's addresses is saved or
    deleted: accounts.apps), so most pages ask PostgreSQL nothing.
    """
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_forum_email_verified", None)
    if cached is None:
        from allauth.account.models import EmailAddress
        from django.core.cache import caches

        key = _verified_key(user.pk)
        cached = caches["pages"].get(key)
        if cached is None:
            cached = EmailAddress.objects.filter(user=user, verified=True).exists()
            caches["pages"].set(key, cached, VERIFIED_CACHE_SECONDS)
        user._forum_email_verified = cached
    return cached


VERIFIED_CACHE_SECONDS = 600


def _verified_key(user_id) -> str:
    return f"email-verified:{user_id}"


def forget_verified_email(user_id) -> None:
    """After a change to a member's addresses, once it is committed."""
    from django.core.cache import caches
    from django.db import transaction

    key = _verified_key(user_id)
    caches["pages"].delete(key)  # and again after commit: no stale refill between
    transaction.on_commit(lambda: caches["pages"].delete(key))
