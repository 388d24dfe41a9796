"""The forum's own settings (FORUM_*, NEWS_*): page sizes, posting rules, caches,
alerts, attachments, drafts. Read by forum.settings; override them there, or
with the environment variables named below."""

import os
import tempfile

from forum.settings_env import BASE_DIR, DEBUG, TESTING, env_bool, env_int

FORUM_POSTS_PER_PAGE = 20
FORUM_THREADS_PER_PAGE = 20
FORUM_MAX_TITLE_LENGTH = 200
# Tags a thread may carry (forum.threads.tagging), and the longest a tag may be.
FORUM_MAX_TAGS_PER_THREAD = env_int("FORUM_MAX_TAGS_PER_THREAD", 5)
FORUM_MAX_TAG_LENGTH = 30
FORUM_TAGS_PER_PAGE = 60  # the tags index (/tags/)
FORUM_MAX_BODY_LENGTH = 50_000
FORUM_DELETE_WINDOW_SECONDS = env_int("FORUM_DELETE_WINDOW_SECONDS", 24 * 3600)
FORUM_FLOOD_SECONDS = env_int("FORUM_FLOOD_SECONDS", 5)
FORUM_FLOOD_SECONDS_NEW_MEMBER = env_int("FORUM_FLOOD_SECONDS_NEW_MEMBER", 30)
FORUM_NEW_MEMBER_POSTS = 5
FORUM_DUPLICATE_WINDOW_SECONDS = 300
FORUM_VIEW_DEDUPE_SECONDS = 30 * 60
# How often each web process writes its gathered view counts (0: only at exit and
# when asked; the tests ask).
FORUM_VIEW_FLUSH_SECONDS = env_int("FORUM_VIEW_FLUSH_SECONDS", 0 if TESTING else 60)
FORUM_GUEST_CACHE_SECONDS = env_int("FORUM_GUEST_CACHE_SECONDS", 60)
# How long a shared render of a member page lives (writes replace it at once).
FORUM_MEMBER_CACHE_SECONDS = env_int("FORUM_MEMBER_CACHE_SECONDS", 60)
# A shared render that asks who is looking outside a declared part, or a part
# nobody fills: an error under DEBUG and in the tests, a page rendered for the
# viewer alone in production (forum/core/perviewer.py).
FORUM_STRICT_PARTS = env_bool("FORUM_STRICT_PARTS", DEBUG or TESTING)
# Where the version counters of cached pages live on a single machine
# (forum/core/versions.py; Redis holds them when REDIS_URL is set). Every web
# process of the machine must use the same folder.
FORUM_VERSIONS_DIR = os.environ.get("FORUM_VERSIONS_DIR") or (
    tempfile.mkdtemp(prefix="forum-versions-")
    if TESTING
    else str(BASE_DIR / ".cache" / "versions")
)
FORUM_READ_MARKING_DAYS = env_int("FORUM_READ_MARKING_DAYS", 30)
FORUM_SIDEBAR_CACHE_SECONDS = env_int("FORUM_SIDEBAR_CACHE_SECONDS", 30)
FORUM_THREAD_META_SECONDS = 600
FORUM_WHATS_NEW_MAX_ITEMS = 200
FORUM_SEARCH_MAX_RESULTS = 200
FORUM_APPROVAL_POSTS = env_int("FORUM_APPROVAL_POSTS", 3)
FORUM_APPROVAL_MAX_LINKS = 2  # None switches the link rule off
FORUM_WARNING_BAN_POINTS = 10
FORUM_WARNING_BAN_DAYS = 7
FORUM_IP_RETENTION_DAYS = env_int("FORUM_IP_RETENTION_DAYS", 90)
# Alerts (forum/notifications): how long a post's alert mails wait (whoever reads
# the post meanwhile gets none), the members one post may mention (a new
# member's), how long the live "new replies" answer is kept.
FORUM_ALERT_MAIL_DELAY_SECONDS = env_int("FORUM_ALERT_MAIL_DELAY_SECONDS", 300)
FORUM_MAX_MENTIONS = 10
FORUM_MAX_MENTIONS_NEW_MEMBER = 3
FORUM_LIVE_REPLIES_SECONDS = env_int("FORUM_LIVE_REPLIES_SECONDS", 5)
# Attachments (forum/posts/uploads/rules.py): what each role may attach ("image":
# every picture format), how much in all, one file's size, files per post.
_MB = 1024 * 1024
FORUM_ATTACHMENT_TYPES = {
    "new_member": ["image"],
    "member": ["image", "pdf", "txt", "zip"],
    "moderator": ["image", "pdf", "txt", "zip"],
}
FORUM_ATTACHMENT_QUOTA_BYTES = {
    "new_member": env_int("ATTACHMENT_QUOTA_NEW_MEMBER_MB", 20) * _MB,
    "member": env_int("ATTACHMENT_QUOTA_MEMBER_MB", 100) * _MB,
    "moderator": env_int("ATTACHMENT_QUOTA_MODERATOR_MB", 500) * _MB,
}
FORUM_ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 8) * _MB
FORUM_ATTACHMENTS_PER_POST = 10
# Drafts (forum/posts/drafts): kept this long after their last save.
FORUM_DRAFT_DAYS = env_int("FORUM_DRAFT_DAYS", 30)
# The development pages (the benchmark's ceiling view): on in development and tests,
# off in production unless asked for (the benchmark asks, for its own server).
FORUM_DEVTOOLS = env_bool("FORUM_DEVTOOLS", DEBUG or TESTING)
NEWS_FETCH_ALLOW_LOOPBACK = False
NEWS_FETCH_TIMEOUT = float(os.environ.get("NEWS_FETCH_TIMEOUT", "10"))
