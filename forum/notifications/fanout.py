"""Who hears about a post, and the alerts they get (in the background task queued
when the post is committed: the request that wrote the post never waits for its
readers).

A new visible post alerts, each member once and in this order of precedence:
the members it quotes ("quote"), the members it mentions ("mention"), then the
watchers of its thread ("reply") and of its forum: those watching every post,
or, for a new thread, every watcher of the forum ("thread"). Nobody hears of
their own post, of a post by a member they ignore, or of a post in a forum they
may not see (forum.policy.audience). Each group is one set-based statement
(forum.notifications.writing), so a thread with 5,000 watchers costs the task
one INSERT ... SELECT, not 5,000.
"""

from django.db import transaction

from forum.notifications import quotes
from forum.notifications.mentions import mentioned_ids
from forum.notifications.models import Alert
from forum.notifications.writing import AlertSpec, write_alerts
from forum.policy.audience import node_audience
from forum.posts.models import Post

Kind = Alert.Kind

# The members of `candidates` (a SELECT of user_id) who may hear of a post by
# %(author)s in a forum with the given audience.
_MAY_HEAR = """
SELECT DISTINCT c.user_id FROM ({candidates}) c
JOIN accounts_user u ON u.id = c.user_id
WHERE u.is_active AND NOT u.is_deleted_member
  AND u.id <> %(author)s AND NOT (%(author)s = ANY(u.ignored_members))
  AND u.id <> ALL(%(skip)s::bigint[])
  AND (u.is_staff OR u.is_superuser OR u.id = ANY(%(moderators)s::bigint[])
       OR {by_role})
"""
_VERIFIED = (
    "EXISTS (SELECT 1 FROM account_emailaddress e"
    " WHERE e.user_id = u.id AND e.verified)"
)

# Watchers since before the post was made (a member who replied after it, and
# watches by replying, has seen it), who have not read it already.
THREAD_WATCHERS = (
    "SELECT user_id FROM notifications_threadwatch"
    " WHERE thread_id = %(thread)s AND created_at <= %(posted_at)s"
)
FORUM_WATCHERS = (
    "SELECT user_id FROM notifications_forumwatch"
    " WHERE node_id = %(node)s AND (%(new_thread)s OR mode = 'posts')"
    " AND created_at <= %(posted_at)s"
)
NOT_READ = (
    "SELECT w.user_id FROM ({watchers}) w WHERE NOT EXISTS ("
    "SELECT 1 FROM threads_threadread r WHERE r.user_id = w.user_id"
    " AND r.thread_id = %(thread)s AND r.last_read_position >= %(position)s)"
)
LISTED = "SELECT unnest(%(ids)s::bigint[]) AS user_id"


def _by_role(audience) -> str:
    if audience.members and audience.unverified:
        return "TRUE"
    if audience.members:
        return _VERIFIED
    if audience.unverified:
        return f"NOT {_VERIFIED}"
    return "FALSE"


def may_hear(candidates: str, audience) -> str:
    """A SELECT of the members among `candidates` who may hear of the post."""
    return _MAY_HEAR.format(candidates=candidates, by_role=_by_role(audience))


def _load(post_id: int) -> Post | None:
    post = (
        Post.objects.select_related("thread", "thread__node", "author")
        .filter(pk=post_id)
        .first()
    )
    if post is None or post.is_deleted or not post.is_approved:
        return None
    if post.thread.is_deleted:
        return None
    return post


def _spec(post: Post, kind: str) -> AlertSpec:
    return AlertSpec(
        kind=kind,
        actor_id=post.author_id,
        actor_name=post.author_name,
        thread_id=post.thread_id,
        post_id=post.pk,
        position=post.position,
    )


@transaction.atomic
def fan_out(
    post_id: int, *, new_thread: bool = False, known: dict | None = None
) -> dict[str, int]:
    """Alert everyone a visible post concerns (see the module docstring); how
    many members got each kind. `known` holds what an edit's previous text
    already quoted and mentioned ({"quoted": [...], "mentioned": [...]}): an
    edit alerts only the members it adds, and no watcher."""
    post = _load(post_id)
    if post is None:
        return {}
    audience = node_audience(post.thread.node)
    known = known or {}
    edit = "mentioned" in known
    params = {
        "author": post.author_id or 0,
        "moderators": sorted(audience.moderators),
        "thread": post.thread_id,
        "node": post.thread.node_id,
        "new_thread": new_thread,
        "posted_at": post.created_at,
        "position": post.position,
    }
    alerted: set[int] = set()
    counts = {}
    groups = [
        (Kind.QUOTE, quotes.quoted_member_ids(post, known.get("quoted", ()))),
        (Kind.MENTION, mentioned_ids(post.body, known.get("mentioned", ()))),
    ]
    for kind, ids in groups:
        ids = set(ids) - alerted
        if not ids:
            continue
        found = write_alerts(
            _spec(post, kind),
            may_hear(LISTED, audience),
            params | {"ids": sorted(ids), "skip": sorted(alerted)},
        )
        alerted.update(found)
        counts[kind] = len(found)
    if edit:
        return counts
    watchers = NOT_READ.format(watchers=f"{THREAD_WATCHERS} UNION {FORUM_WATCHERS}")
    kind = Kind.THREAD if new_thread else Kind.REPLY
    found = write_alerts(
        _spec(post, kind),
        may_hear(watchers, audience),
        params | {"skip": sorted(alerted)},
    )
    counts[kind] = len(found)
    return counts


@transaction.atomic
def alert_reaction(post_id: int, reactor_id: int, reactor_name: str) -> bool:
    """The author of a post hears of a new reaction to it, gathered with the
    others in the thread while unread ("Saleem and 4 others reacted ...")."""
    post = _load(post_id)
    if post is None or not post.author_id or post.author_id == reactor_id:
        return False
    audience = node_audience(post.thread.node)
    spec = AlertSpec(
        kind=Kind.REACTION,
        actor_id=reactor_id,
        actor_name=reactor_name,
        thread_id=post.thread_id,
        post_id=post.pk,
        position=post.position,
    )
    params = {
        "author": reactor_id,  # the member they might ignore is the reactor
        "moderators": sorted(audience.moderators),
        "ids": [post.author_id],
        "skip": [],
    }
    return bool(write_alerts(spec, may_hear(LISTED, audience), params))
