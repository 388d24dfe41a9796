"""Login throttling that stops password guessing without letting a stranger lock
a member out.

allauth's own "login_failed" limit counts failures per typed login alone: five
wrong passwords from anywhere locked the account for everyone, so anyone who
knew a username could keep its owner out. Here (the hooks are in
accounts.adapter; the budgets in settings.FORUM_RATE_LIMITS, counted by
forum.core.ratelimit in fixed windows):

1. Per account and address, "login_failed" (5 per 15 minutes): the failures for
   one login from one address. Past the budget that address may not try that
   account again until the window ends, not even with the right password (else
   the limit would still answer "right" or "wrong" to each guess). Other
   addresses are not affected, so the owner signs in from home while an
   attacker elsewhere is refused. The owner's own success clears the count for
   their address: those failures were theirs.
2. Per account, "login_failed_account" (20 per hour), soft: the failures for
   one login from every address together. Past it, an address that has already
   failed for that login this hour gets no more tries this hour; an address
   that has not failed may still try. So an attacker who rotates addresses gets
   one guess per address per hour instead of five per quarter, and the owner,
   trying from an address of their own, is never refused by it.
3. A known browser, one that has signed in to that login before (a signed,
   long-lived cookie), is counted by itself instead of by its address: the soft
   limit never applies to it, and strangers behind the same address (an office,
   a mobile network) cannot use up its budget.

4. Two-step codes (accounts.mfa): after the right password, wrong codes
   are counted the same way, by member instead of typed login: "mfa_failed"
   (5 per 15 minutes) per member and address or known browser, and
   "mfa_failed_account" (20 per hour) per member from everywhere, which refuses
   only addresses that have failed. A right code clears the address's count.

allauth still limits failures per address across all logins ("login_failed" in
ACCOUNT_RATE_LIMITS, per ip only), which stops one address trying many
accounts. Logins are counted as typed (case and spacing folded), not resolved
to a member: resolving a name and its e-mail address to one count would tell
an attacker, through the refusals, which address belongs to which name, and an
unknown login must be treated exactly like a known one. XenForo keys its limit
the same way (per address and username). RATE_LIMITS=0 switches all of this
off with every other limit.
"""

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError

from accounts.validators import normalize_username
from forum.core import ratelimit
from forum.core.http import client_ip

PER_ADDRESS = "login_failed"
PER_ACCOUNT = "login_failed_account"

COOKIE = "known_browser"
COOKIE_SALT = "accounts.login_limits.known_browser"
COOKIE_DAYS = 365
COOKIE_LOGINS = 5  # the logins one browser is remembered for
SESSION_KEY = "forum_signed_in_login"


def login_key(credentials: dict) -> str:
    """The login as typed, folded, hashed (cache keys stay short and hold no
    e-mail address)."""
    typed = credentials.get("email") or credentials.get("username") or ""
    folded = normalize_username(typed).casefold()
    return hashlib.sha256(folded.encode()).hexdigest()[:32]


def _known_browser(request) -> dict:
    value = request.COOKIES.get(COOKIE)
    if not value:
        return {}
    try:
        found = signing.loads(value, salt=COOKIE_SALT, max_age=COOKIE_DAYS * 86400)
    except (signing.BadSignature, ValueError, TypeError):
        return {}
    if not isinstance(found, dict) or not isinstance(found.get("logins"), list):
        return {}
    return found


def _client(request, login: str) -> tuple[str, bool]:
    """Who is trying: the known browser when it has signed in to this login
    before, else the address. (key, known)."""
    browser = _known_browser(request)
    if login in browser.get("logins", []):
        return f"b{browser.get('id', '')}", True
    return f"ip{client_ip(request)}", False


def _wait(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return "a minute" if minutes == 1 else f"{minutes} minutes"


def check(request, credentials: dict) -> None:
    """Before the password is checked: raise ValidationError (the message the
    member sees above the form) when this attempt may not be made."""
    login = login_key(credentials)
    client, known = _client(request, login)
    pair = ratelimit.peek(PER_ADDRESS, key=f"{login}:{client}")
    if pair and pair[0] >= pair[1]:
        raise ValidationError(
            "Too many failed sign-ins to this account from here. Please try again "
            f"in {_wait(pair[2])}, or reset your password if you have forgotten "
            "it.",
            code="too_many_login_attempts",
        )
    if known:
        return
    account = ratelimit.peek(PER_ACCOUNT, key=login)
    if account and account[0] >= account[1]:
        # Which addresses failed for the login, in the soft limit's window.
        tried = ratelimit.peek(PER_ACCOUNT, key=f"{login}:{client}:tried")
        if tried and tried[0] > 0:
            raise ValidationError(
                "This account has had many failed sign-ins lately, so each "
                "address gets one try for now. Please try again in "
                f"{_wait(account[2])}, sign in from a browser you have used "
                "before, or reset your password if you have forgotten it.",
                code="too_many_login_attempts",
            )


def record_failure(request, credentials: dict) -> None:
    """A wrong password: count it for the address (or known browser), for the
    login everywhere, and note that this address has failed for it."""
    login = login_key(credentials)
    client, known = _client(request, login)
    ratelimit.hit(PER_ADDRESS, key=f"{login}:{client}")
    if not known:
        ratelimit.hit(PER_ACCOUNT, key=login)
        ratelimit.hit(PER_ACCOUNT, key=f"{login}:{client}:tried")


def record_success(request, credentials: dict) -> None:
    """The right password: this address's failures for the login were the
    owner's own. The login is remembered for the browser's cookie, which
    remember_browser() sets once the sign-in completes."""
    login = login_key(credentials)
    client, _known = _client(request, login)
    ratelimit.clear(PER_ADDRESS, key=f"{login}:{client}")
    request._signed_in_login = login
    # A two-step sign-in ends in a later request: the session carries it there.
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_KEY] = login


def knows_member(request, user) -> bool:
    """Whether this browser has signed in as this member before (by any login)."""
    return user.pk in _known_browser(request).get("members", [])


def remember_browser(request, response, user=None) -> None:
    """Mark this browser as known for the login it just signed in with (and for
    the member, whichever login they typed)."""
    session = getattr(request, "session", None)
    login = getattr(request, "_signed_in_login", None) or (
        session.pop(SESSION_KEY, None) if session is not None else None
    )
    if not login or response is None:
        return
    browser = _known_browser(request)
    logins = [login] + [other for other in browser.get("logins", []) if other != login]
    members = list(browser.get("members", []))
    if user is not None and user.pk:
        members = [user.pk] + [pk for pk in members if pk != user.pk]
    value = signing.dumps(
        {
            "id": browser.get("id") or secrets.token_hex(8),
            "logins": logins[:COOKIE_LOGINS],
            "members": members[:COOKIE_LOGINS],
        },
        salt=COOKIE_SALT,
    )
    response.set_cookie(
        COOKIE,
        value,
        max_age=COOKIE_DAYS * 86400,
        httponly=True,
        secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
        samesite="Lax",
    )


# --- two-step codes ----------------------------------------------------------------

CODE_PER_ADDRESS = "mfa_failed"
CODE_PER_ACCOUNT = "mfa_failed_account"


def _code_client(request, user) -> tuple[str, bool]:
    browser = _known_browser(request)
    if user.pk in browser.get("members", []):
        return f"b{browser.get('id', '')}", True
    return f"ip{client_ip(request)}", False


def check_code(request, user) -> None:
    """Before a two-step code is checked: raise ValidationError when this
    attempt may not be made (the same rules as for passwords, by member)."""
    client, known = _code_client(request, user)
    pair = ratelimit.peek(CODE_PER_ADDRESS, key=f"{user.pk}:{client}")
    if pair and pair[0] >= pair[1]:
        raise ValidationError(
            "Too many wrong codes from here. Please try again in "
            f"{_wait(pair[2])}, or use one of your recovery codes later.",
            code="too_many_login_attempts",
        )
    if known:
        return
    account = ratelimit.peek(CODE_PER_ACCOUNT, key=str(user.pk))
    tried = ratelimit.peek(CODE_PER_ACCOUNT, key=f"{user.pk}:{client}:tried")
    if account and account[0] >= account[1] and tried and tried[0] > 0:
        raise ValidationError(
            "This account has had many wrong codes lately. Please try again in "
            f"{_wait(account[2])}.",
            code="too_many_login_attempts",
        )


def record_code_failure(request, user) -> None:
    client, known = _code_client(request, user)
    ratelimit.hit(CODE_PER_ADDRESS, key=f"{user.pk}:{client}")
    if not known:
        ratelimit.hit(CODE_PER_ACCOUNT, key=str(user.pk))
        ratelimit.hit(CODE_PER_ACCOUNT, key=f"{user.pk}:{client}:tried")


def record_code_success(request, user) -> None:
    client, _known = _code_client(request, user)
    ratelimit.clear(CODE_PER_ADDRESS, key=f"{user.pk}:{client}")
