"""Settings: every knob is read from the environment, here and in
forum/settings_forum.py (the forum's own), through forum/settings_env.py.

DEBUG=1 for development. Without DEBUG, SECRET_KEY must be set (and not the development
default) or the process refuses to start. DATABASE_URL selects an external PostgreSQL;
unset, the project starts its own embedded PostgreSQL (forum/core/database.py).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from forum.core import dbconfig, logs
from forum.core.database import database_url
from forum.core.media import config as media_config

# The environment's readers, and the forum's own knobs (FORUM_*, NEWS_*), each
# in a module of its own so this one stays the Django settings.
from forum.settings_env import (  # noqa: E402
    BASE_DIR,
    DEBUG,
    TESTING,
    env_bool,
    env_int,
    env_list,
    env_rate,
)
from forum.settings_forum import *  # noqa: E402, F403

DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = DEV_SECRET_KEY
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a long random value when DEBUG is off."
        )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", "[::1]"] + (["testserver"] if TESTING else []),
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = os.environ.get("SITE_NAME", "Defence & Politics Forum")
# The index page's meta description (search results show it under the name).
SITE_DESCRIPTION = os.environ.get(
    "SITE_DESCRIPTION",
    "Discussion of defence, security and politics: forums, news and analysis.",
)
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "csp",
    # Lowest layer first (docs/architecture.md): each app imports only those above
    # it in this list.
    "forum.core",
    "accounts",
    "forum.threads",
    "forum.posts",
    "forum.notifications",
    "forum.news",
    "forum.moderation",
    "forum.discovery",
    "forum.members",
    "forum.search",
    "forum.conversations",
    "forum.bookmarks",
    "forum.devtools",
]

MIDDLEWARE = [
    # /-/health for probes, whatever the Host header (forum/core/health.py).
    "forum.core.health.HealthMiddleware",
    # gzip for guests' pages only, which hold no secret (BREACH:
    # forum/core/compression.py); outside the guest cache, which keeps pages
    # uncompressed.
    "forum.core.compression.GuestGZipMiddleware",
    # Every response and log line carries the request's id (forum/core/logs.py).
    "forum.core.logs.RequestIdMiddleware",
    # A visitor who just wrote reads from the primary (forum/core/replica.py).
    "forum.core.replica.PrimaryAfterWriteMiddleware",
    # Outermost: decides from the final response whether a guest's page may be
    # stored for others (forum/core/pagecache.py).
    "forum.core.pagecache.GuestCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.ResolvedUserMiddleware",
    "accounts.middleware.LastSeenMiddleware",
    "accounts.middleware.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # What a member typed survives a refusal (forum/core/keep/middleware.py).
    "forum.core.keep.middleware.KeptTextMiddleware",
    "forum.moderation.middleware.BanMiddleware",
    "forum.threads.middleware.MergedThreadMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff without a second factor are sent to set one up (accounts/safety.py).
    "accounts.safety.StaffSecondFactorMiddleware",
    # Last: it reads an over-large body before the CSRF check does.
    "forum.core.keep.middleware.OversizedFormMiddleware",
]
# A stale token gets a page that gives back what was typed, with a fresh one.
CSRF_FAILURE_VIEW = "forum.core.keep.csrf.csrf_failure"

ROOT_URLCONF = "forum.urls"
WSGI_APPLICATION = "forum.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forum.core.context_processors.site",
                "forum.policy.context_processors.viewer",
            ],
        },
    },
]


# The primary, a read replica when REPLICA_DATABASE_URL is set, connection
# pooling and the web's statement timeout (forum/core/dbconfig.py). forum/wsgi.py
# marks web processes before this module loads.
DATABASES = dbconfig.databases(
    database_url(),
    os.environ,
    testing=TESTING,
    web=os.environ.get("FORUM_WEB_PROCESS") == "1",
)
# Reads that may lag go to the replica when there is one (forum/core/replica.py);
# a member's own reads stay on the primary for a few seconds after a write.
DATABASE_ROUTERS = ["forum.core.replica.ReplicaRouter"]
FORUM_READ_REPLICA = "replica" if os.environ.get("REPLICA_DATABASE_URL") else ""
FORUM_REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing dominates a suite that creates hundreds of members.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# allauth: sign-up with username + e-mail, mandatory verification, login by either.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG or TESTING else "https"
# The forum's rules: usernames (accounts.adapter.clean_username, which applies
# accounts.validators) and a sign-up form with a honeypot.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "login": "accounts.forms.LoginForm",
}
ACCOUNT_USERNAME_VALIDATORS = "accounts.validators.username_validators"

# Two-step sign-in (allauth.mfa): an authenticator app (TOTP) with recovery codes,
# and passkeys (WebAuthn, through the fido2 package) for every member. Failed
# codes are counted by the forum's limits like failed passwords
# (accounts/login_limits.py, through accounts/mfa.py). Staff must have a
# second factor before they use the site (STAFF_MFA_REQUIRED, on in production;
# the demo and the tests switch it on where they test it).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG or TESTING
MFA_FORMS = {"authenticate": "accounts.mfa.AuthenticateForm"}
MFA_ADAPTER = "accounts.mfa.MFAAdapter"
FORUM_STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", not (DEBUG or TESTING))
# "Sessions" (allauth.usersessions): where a member is signed in, recorded at
# sign-in (no write per request).
USERSESSIONS_TRACK_ACTIVITY = False

# How many proxies in front of the site append the client's address to
# X-Forwarded-For (forum/core/http.py client_ip): rate limits, IP logs and view
# counts key on it. 0 (the default) trusts only the connection's own address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Rate limits (forum/core/ratelimit.py): (how many, per how many seconds), for one
# member or, for guests, one address. RATE_LIMITS=0 switches every limit off,
# allauth's included (benchmarks); RATE_LIMIT_<ACTION>=count/seconds sets one.
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS", True)
FORUM_RATE_LIMITS_ENABLED = RATE_LIMITS_ENABLED
FORUM_RATE_LIMITS = {
    "search": env_rate("RATE_LIMIT_SEARCH", (20, 60)),
    "react": env_rate("RATE_LIMIT_REACT", (30, 60)),
    "report": env_rate("RATE_LIMIT_REPORT", (10, 3600)),
    # Failed logins (accounts/login_limits.py): per login and address, and a
    # softer one per login from everywhere that never refuses a fresh address.
    "login_failed": env_rate("RATE_LIMIT_LOGIN_FAILED", (5, 900)),
    "login_failed_account": env_rate("RATE_LIMIT_LOGIN_FAILED_ACCOUNT", (20, 3600)),
    # Wrong two-step codes after the right password, per member and address
    # (or known browser), and per member from everywhere.
    "mfa_failed": env_rate("RATE_LIMIT_MFA_FAILED", (5, 900)),
    "mfa_failed_account": env_rate("RATE_LIMIT_MFA_FAILED_ACCOUNT", (20, 3600)),
    # Appeals against moderator actions (forum.moderation), per member.
    "appeal": env_rate("RATE_LIMIT_APPEAL", (5, 3600)),
    # The composer (forum/posts): uploads, draft saves, previews, poll votes.
    "upload": env_rate("RATE_LIMIT_UPLOAD", (30, 600)),
    "draft": env_rate("RATE_LIMIT_DRAFT", (120, 600)),
    "preview": env_rate("RATE_LIMIT_PREVIEW", (60, 600)),
    "vote": env_rate("RATE_LIMIT_VOTE", (30, 60)),
    # Content Security Policy reports that get logged (forum/core/csp.py).
    "csp_report": env_rate("RATE_LIMIT_CSP_REPORT", (20, 600)),
    # Private conversations (forum/conversations): new ones, messages, invites.
    # The per-role daily limits are forum.policy.conversations.DEFAULT_LIMITS.
    "conversation": env_rate("RATE_LIMIT_CONVERSATION", (5, 600)),
    "conversation_message": env_rate("RATE_LIMIT_CONVERSATION_MESSAGE", (30, 600)),
    "conversation_invite": env_rate("RATE_LIMIT_CONVERSATION_INVITE", (10, 600)),
    # Finding and organizing: bookmark writes (add, edit, remove), the new-thread
    # form's "already discussed" look-ups and the tag field's suggestions, asked
    # while typing (each script waits for a pause first).
    "bookmark": env_rate("RATE_LIMIT_BOOKMARK", (30, 60)),
    "similar_titles": env_rate("RATE_LIMIT_SIMILAR_TITLES", (60, 60)),
    "tag_suggest": env_rate("RATE_LIMIT_TAG_SUGGEST", (90, 60)),
}
# allauth counts failed logins per address only: its per-login count locked an
# account for everyone (the forum's own limits above replace it).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}
if not RATE_LIMITS_ENABLED:
    ACCOUNT_RATE_LIMITS = False

# The cache is shared by every process (rate limits and the guest page cache rely on
# it): PostgreSQL by default, Redis when REDIS_URL is set.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "forum_cache",
        }
    }

# Whole pages for guests, view-count de-duplication: off the database. Redis when
# REDIS_URL is set (shared by every machine), else files on this machine.
if os.environ.get("REDIS_URL"):
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": "pages",
    }
elif TESTING:
    CACHES["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get(
            "PAGE_CACHE_DIR", str(BASE_DIR / ".cache" / "pages")
        ),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }

SESSION_ENGINE = "django.contrib.sessions.backends.db"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    # MEDIA_ROOT, or an S3-compatible bucket (forum/core/media/config.py).
    "default": media_config.media_storage(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# E-mail: the console in development, SMTP (EMAIL_HOST...) in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
# The file-based backend's folder (EMAIL_BACKEND=...filebased.EmailBackend).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or None
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "forum@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Mail goes out through the outbox (forum/core/mail.py): the worker sends it and
# retries a failure after MAIL_RETRY_SECONDS, then twice that each time, giving
# up after MAIL_MAX_ATTEMPTS. A server that never answers costs one attempt
# EMAIL_TIMEOUT seconds.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
FORUM_MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 8)
FORUM_MAIL_RETRY_SECONDS = env_int("MAIL_RETRY_SECONDS", 60)

# Security: strict unless DEBUG. SECURE_SSL_REDIRECT can be switched off for a
# TLS-terminating proxy that talks plain HTTP to us on a private network.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Health checks ask over plain HTTP from inside the machine or container.
    SECURE_REDIRECT_EXEMPT = [r"^-/health$"]


# Content Security Policy (django-csp's middleware sets the header on every
# response). No page has inline script or style: templates use static files and
# classes, and rendered posts carry classes only (BBCode colours and fonts are a
# fixed set, forum/core/markup/palette.py). So the policy is 'self', plus:
# - the storage's origin when MEDIA_URL (or STATIC_URL) is absolute;
# - pictures that posts show with [IMG]: any https address by default;
#   CSP_POST_IMAGES lists other sources (space-separated), "" allows only ours;
# - the YouTube embeds of [MEDIA] (frame-src).
# Schema.org JSON-LD needs no nonce: a data block is never run, so browsers do
# not check it against script-src (and a nonce would be wrong in a page that the
# guest cache serves to many visitors).
# CSP_REPORT_ONLY=1 sends the policy as Content-Security-Policy-Report-Only (to
# try a change on a live site first). Browsers report violations to
# CSP_REPORT_URI, by default the forum's own endpoint, which logs them
# (forum/core/csp.py, rate limited per address); "" sends no reports.
def _origin(url: str) -> list[str]:
    """["https://cdn.example"] for an absolute URL, [] for a path on this site."""
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


_CSP_OWN = [SELF, *_origin(STATIC_URL)]
_CSP_REPORT_URI = os.environ.get("CSP_REPORT_URI", "/csp-report/")
_CSP_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": _CSP_OWN,
        "style-src": _CSP_OWN,
        "img-src": [
            *_CSP_OWN,
            *_origin(MEDIA_URL),
            *media_config.media_origins(os.environ),
            *os.environ.get("CSP_POST_IMAGES", "https:").split(),
        ],
        "font-src": _CSP_OWN,
        "frame-src": ["https://www.youtube-nocookie.com"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": [_CSP_REPORT_URI] if _CSP_REPORT_URI else None,
    }
}
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP_POLICY
else:
    CONTENT_SECURITY_POLICY = _CSP_POLICY

# Logs: JSON lines on stdout with each request's id (forum/core/logs.py);
# LOG_FORMAT=text for plain lines (the default under DEBUG).
LOGGING = logs.logging_config(
    json_lines=os.environ.get("LOG_FORMAT", "text" if DEBUG else "json") == "json",
    level=os.environ.get("LOG_LEVEL", "WARNING"),
)
# Errors to Sentry, only when a DSN is given.
if os.environ.get("SENTRY_DSN"):
    logs.init_sentry(
        os.environ["SENTRY_DSN"],
        environment=os.environ.get("SENTRY_ENVIRONMENT", ""),
        release=os.environ.get("SENTRY_RELEASE", ""),
        traces=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE") or 0),
    )
