"""How notifications plugs into the apps below it (called from
NotificationsConfig.ready()):

- BBCode knows [USER=id]name[/USER] (a mention: forum.core.markup's registry),
  and "@name" in a new post or an edit is stored as one (a body rewrite);
- every change to a post queues, on commit, what follows from it: its quotes
  recorded, its alerts written, its mails (a post hook); its writer watches the
  thread, if their preferences say so (in the post's transaction);
- a new reaction alerts the post's author, on commit (a reaction hook);
- reading a thread page reads the alerts about its posts (a view hook: no
  query for a member without unread alerts);
- the thread page shows Watch or Unwatch under its title (a viewer part, with
  a viewer fact read along with the member's posts) and, on each post, quote
  labels and "Quoted by" backlinks (a body add-on reading the post's own data);
- `manage.py recount` rebuilds every member's unread count (a counter).
"""

from functools import partial

from django.db import transaction
from django.template.loader import render_to_string

from forum.core.markup import extract_quoted_post_ids
from forum.notifications import mentions, quotes, services
from forum.posts import extensions

_WATCHING_SQL = (
    "SELECT CASE WHEN w.email THEN 2 ELSE 1 END FROM notifications_threadwatch w"
    " WHERE w.user_id = %(user)s AND w.thread_id = %(thread)s"
)
UNREAD_RECOUNT_SQL = """
UPDATE accounts_user u SET unread_alert_count = COALESCE(c.n, 0)
FROM accounts_user u2
LEFT JOIN (SELECT user_id, count(*) AS n FROM notifications_alert
           WHERE read_at IS NULL GROUP BY user_id) c ON c.user_id = u2.id
WHERE u.id = u2.id AND u.unread_alert_count IS DISTINCT FROM COALESCE(c.n, 0)
"""
_UNREAD_SNAPSHOT_SQL = (
    "SELECT id, unread_alert_count FROM accounts_user"
    " WHERE unread_alert_count <> 0 ORDER BY id"
)


def _queue(*args, **kwargs) -> None:
    from forum.notifications.tasks import follow_post_change

    follow_post_change.enqueue(*args, **kwargs)


def _on_post_change(event) -> None:
    post = event.post
    if event.kind == "created" and post.author_id:
        services.auto_watch(
            user_id=post.author_id, thread_id=post.thread_id, started=event.new_thread
        )
    if event.kind in ("created", "approved") and not post.is_approved:
        return  # held for approval: followed once it is approved
    known = None
    if event.kind == "edited":
        before = event.previous_body or ""
        known = {
            "quoted": extract_quoted_post_ids(before),
            "mentioned": mentions.mentioned_ids(before),
        }
    # robust: a queue that cannot be reached must not fail the member's post.
    transaction.on_commit(
        partial(_queue, post.pk, event.kind, event.new_thread, known), robust=True
    )


def _on_reaction(*, post, by, reaction_type) -> None:
    from forum.notifications.tasks import alert_reaction

    transaction.on_commit(
        partial(alert_reaction.enqueue, post.pk, by.pk, by.username), robust=True
    )


def _on_view(*, user, thread, position) -> None:
    services.read_thread_alerts(user=user, thread=thread, position=position)


def _thread_tools(request, facts):
    user = request.user
    watching = facts.get("watching")

    def draw(arg: str, inner: str) -> str:
        if not user.is_authenticated or not arg.isdigit():
            return inner
        context = {"watching": watching, "url": f"/threads/{int(arg)}/watch"}
        return inner + render_to_string("notifications/_thread_tools.html", context)

    return draw


def install() -> None:
    mentions.register_user_tag()
    extensions.register_body_rewrite("mentions", mentions.rewrite_mentions)
    extensions.register_post_hook("notifications", _on_post_change)
    extensions.register_reaction_hook("notifications", _on_reaction)
    extensions.register_view_hook("notifications", _on_view)
    extensions.register_body_addon(
        extensions.BodyAddon(name="quotes", collect=quotes.collect, apply=quotes.apply)
    )
    extensions.register_viewer_fact(extensions.ViewerFact("watching", _WATCHING_SQL))
    extensions.register_viewer_part("thread", "thread-tools", _thread_tools)
    extensions.register_counter(
        extensions.Counter("unread alerts", UNREAD_RECOUNT_SQL, _UNREAD_SNAPSHOT_SQL)
    )
