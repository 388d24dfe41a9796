"""Rebuild every denormalized counter from the rows, and measure drift.

The services keep counters exact with F() updates; this is the repair tool and the
test oracle. Each step is one set-based UPDATE, so it stays minutes, not hours, at a
million posts.
"""

from django.db import connection, transaction

from forum.posts import extensions

# What each counter must equal, as SQL over the rows.
THREAD_SQL = """
UPDATE threads_thread t SET
  reply_count = GREATEST(COALESCE(s.visible, 0) - 1, 0),
  last_position = COALESCE(s.max_position, 0),
  first_post_id = s.first_post_id,
  last_post_id = COALESCE(l.id, t.last_post_id),
  last_post_position = COALESCE(l.position, t.last_post_position),
  last_post_at = COALESCE(l.created_at, t.last_post_at),
  last_poster_id = l.author_id,
  last_poster_name = COALESCE(l.author_name, t.last_poster_name)
FROM threads_thread t2
LEFT JOIN LATERAL (
  SELECT count(*) FILTER (WHERE NOT p.is_deleted AND p.is_approved) AS visible,
         max(p.position) AS max_position,
         min(p.id) FILTER (WHERE p.position = 0) AS first_post_id
  FROM posts_post p WHERE p.thread_id = t2.id
) s ON true
LEFT JOIN LATERAL (
  SELECT p.id, p.position, p.created_at, p.author_id, p.author_name
  FROM posts_post p
  WHERE p.thread_id = t2.id AND NOT p.is_deleted AND p.is_approved
  ORDER BY p.position DESC LIMIT 1
) l ON true
WHERE t.id = t2.id
"""

NODE_SQL = """
UPDATE threads_node n SET
  thread_count = COALESCE(s.threads, 0),
  post_count = COALESCE(s.posts, 0),
  last_post_at = l.last_post_at,
  last_post_id = l.last_post_id,
  last_thread_id = l.id,
  last_poster_id = l.last_poster_id,
  last_poster_name = COALESCE(l.last_poster_name, '')
FROM threads_node n2
LEFT JOIN LATERAL (
  SELECT count(*) AS threads, sum(t.reply_count + 1) AS posts
  FROM threads_thread t WHERE t.node_id = n2.id AND NOT t.is_deleted
) s ON true
LEFT JOIN LATERAL (
  SELECT t.id, t.last_post_at, t.last_post_id, t.last_poster_id, t.last_poster_name
  FROM threads_thread t WHERE t.node_id = n2.id AND NOT t.is_deleted
  ORDER BY t.last_post_at DESC, t.id DESC LIMIT 1
) l ON true
WHERE n.id = n2.id
"""

MEMBER_SQL = """
UPDATE accounts_user u SET
  message_count = u.imported_messages + COALESCE(m.n, 0),
  reaction_score = u.imported_reaction_score + COALESCE(r.score, 0)
FROM accounts_user u2
LEFT JOIN LATERAL (
  SELECT count(*) AS n FROM posts_post p
  JOIN threads_thread t ON t.id = p.thread_id
  WHERE p.author_id = u2.id AND NOT p.is_deleted AND p.is_approved
    AND NOT t.is_deleted
) m ON true
LEFT JOIN LATERAL (
  SELECT sum(rt.score) AS score FROM posts_reaction r
  JOIN posts_reactiontype rt ON rt.id = r.reaction_type_id
  JOIN posts_post p ON p.id = r.post_id
  JOIN threads_thread t ON t.id = p.thread_id
  WHERE p.author_id = u2.id AND NOT p.is_deleted AND p.is_approved
    AND NOT t.is_deleted
) r ON true
WHERE u.id = u2.id
"""

POST_REACTIONS_SQL = """
UPDATE posts_post p SET
  reaction_total = COALESCE(s.total, 0),
  reaction_score = COALESCE(s.score, 0),
  reaction_counts = COALESCE(s.counts, '{}'::jsonb)
FROM (
  SELECT p2.id,
    (SELECT count(*) FROM posts_reaction r WHERE r.post_id = p2.id) AS total,
    (SELECT sum(rt.score) FROM posts_reaction r
       JOIN posts_reactiontype rt ON rt.id = r.reaction_type_id
       WHERE r.post_id = p2.id) AS score,
    (SELECT jsonb_object_agg(c.reaction_type_id::text, c.n) FROM (
        SELECT r.reaction_type_id, count(*) AS n FROM posts_reaction r
        WHERE r.post_id = p2.id GROUP BY r.reaction_type_id) c) AS counts
  FROM posts_post p2
  WHERE p2.reaction_total > 0
     OR EXISTS (SELECT 1 FROM posts_reaction r WHERE r.post_id = p2.id)
) s
WHERE p.id = s.id
"""

# Order matters: nodes read thread counters, members read post state.
STEPS = [
    ("threads", THREAD_SQL),
    ("forums", NODE_SQL),
    ("post reactions", POST_REACTIONS_SQL),
    ("members", MEMBER_SQL),
]

SNAPSHOT_QUERIES = {
    "thread": "SELECT id, reply_count, last_position, first_post_id, last_post_id,"
    " last_post_position,"
    " last_post_at, last_poster_id FROM threads_thread ORDER BY id",
    "node": "SELECT id, thread_count, post_count, last_post_id, last_thread_id"
    " FROM threads_node ORDER BY id",
    "member": "SELECT id, message_count, reaction_score FROM accounts_user ORDER BY id",
    "post": "SELECT id, reaction_total, reaction_score, reaction_counts::text"
    " FROM posts_post"
    " WHERE reaction_total <> 0 OR reaction_counts <> '{}'::jsonb ORDER BY id",
}


def recount_all(progress=None) -> None:
    """Rebuild every counter in one transaction: the forum's, then those the
    apps above posts registered (forum.posts.extensions counters)."""
    steps = STEPS + [(c.name, c.recount_sql) for c in extensions.counters()]
    with transaction.atomic(), connection.cursor() as cursor:
        for name, sql in steps:
            if progress:
                progress(name)
            cursor.execute(sql)


def counter_snapshot() -> dict[str, list[tuple]]:
    queries = SNAPSHOT_QUERIES | {c.name: c.snapshot_sql for c in extensions.counters()}
    with connection.cursor() as cursor:
        snapshot = {}
        for name, sql in queries.items():
            cursor.execute(sql)
            snapshot[name] = cursor.fetchall()
        return snapshot


class _Undo(Exception):
    pass


def counter_drift() -> dict[str, list[tuple]]:
    """Rows whose live counters differ from a full recount (rolled back after)."""
    before = counter_snapshot()
    after = {}
    try:
        with transaction.atomic():
            recount_all()
            after = counter_snapshot()
            raise _Undo
    except _Undo:
        pass
    drift = {}
    for name in before:
        changed = sorted(set(before[name]) ^ set(after[name]), key=str)
        if changed:
            drift[name] = changed
    return drift
