"""Writing alerts as sets: one INSERT ... SELECT ... ON CONFLICT DO UPDATE for any
number of members, which also moves each member's unread count.

Every alert is written here, one member's (notify) as five thousand watchers'
(the fan-out): the statement takes its recipients from a SELECT, adds an alert
for each member who has no unread alert of that kind in that thread, gathers
into the one they have otherwise ("3 new replies"), and adds one to the unread
count of each member who got a new one, in the same statement. Rows are taken
in member order (the alerts, then the member rows, locked by id), so two
fan-outs that reach the same members wait for each other instead of
deadlocking.
"""

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

# {recipients}: a SELECT of `user_id`, with no duplicates. The parameters named
# in it come with the call; these are the alert's own.
_WRITE_SQL = """
WITH recipients AS ({recipients}),
written AS (
  INSERT INTO notifications_alert AS a
    (user_id, kind, actor_id, actor_name, actors, count, thread_id, post_id,
     position, text, url, created_at, updated_at)
  SELECT r.user_id, %(kind)s, %(actor)s, %(actor_name)s,
         CASE WHEN %(actor)s::bigint IS NULL THEN '{{}}'::bigint[]
              ELSE ARRAY[%(actor)s::bigint] END,
         1, %(thread)s, %(post)s, %(position)s, %(text)s, %(url)s, %(now)s, %(now)s
  FROM recipients r
  ORDER BY r.user_id
  ON CONFLICT (user_id, thread_id, kind) WHERE read_at IS NULL DO UPDATE SET
    count = a.count + 1,
    updated_at = EXCLUDED.updated_at,
    actor_id = EXCLUDED.actor_id,
    actor_name = EXCLUDED.actor_name,
    actors = CASE WHEN EXCLUDED.actor_id = ANY(a.actors) THEN a.actors
                  ELSE a.actors || EXCLUDED.actors END,
    -- an alert about one post at a time (a reaction) follows the earliest
    post_id = CASE WHEN EXCLUDED.position < a.position THEN EXCLUDED.post_id
                   ELSE a.post_id END,
    position = LEAST(a.position, EXCLUDED.position)
  RETURNING a.user_id, (a.xmax = 0) AS fresh
),
locked AS (
  SELECT u.id FROM accounts_user u JOIN written w ON w.user_id = u.id AND w.fresh
  ORDER BY u.id FOR NO KEY UPDATE OF u
),
counted AS (
  UPDATE accounts_user u SET unread_alert_count = u.unread_alert_count + 1
  FROM locked l WHERE u.id = l.id
)
SELECT w.user_id FROM written w
"""


@dataclass(frozen=True)
class AlertSpec:
    kind: str
    actor_id: int | None = None
    actor_name: str = ""
    thread_id: int | None = None
    post_id: int | None = None
    position: int | None = None
    text: str = ""
    url: str = ""


def write_alerts(spec: AlertSpec, recipients: str, params: dict) -> list[int]:
    """Alert every member the SELECT `recipients` names (a `user_id` column);
    returns who was alerted. One statement whatever their number."""
    values = params | {
        "kind": spec.kind,
        "actor": spec.actor_id,
        "actor_name": spec.actor_name[:50],
        "thread": spec.thread_id,
        "post": spec.post_id,
        "position": spec.position,
        "text": spec.text[:500],
        "url": spec.url[:300],
        "now": timezone.now(),
    }
    with connection.cursor() as cursor:
        cursor.execute(_WRITE_SQL.format(recipients=recipients), values)
        return [user_id for (user_id,) in cursor.fetchall()]


def alert_members(spec: AlertSpec, user_ids) -> list[int]:
    """Alert these members (the caller decided they may know)."""
    ids = sorted({int(pk) for pk in user_ids})
    if not ids:
        return []
    recipients = "SELECT DISTINCT unnest(%(ids)s::bigint[]) AS user_id"
    return write_alerts(spec, recipients, {"ids": ids})
