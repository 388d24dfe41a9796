"""Threads with similar titles, from the title index (migration 0001): "Similar
threads" under a thread, and "already discussed" on the new-thread form.

A title's words become an OR query (any of its stemmed words), ranked by
ts_rank, the most recently active first among equals. Under a thread, the answer
is cached per thread and title (FORUM_SIMILAR_CACHE_SECONDS) for every viewer
alike: a few more than are shown, from every forum, and each viewer gets those
in forums they may see (the policy's cached snapshot: no query).
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection

from forum.core import pagecache
from forum.policy import visible_node_ids
from forum.threads.models import Thread

SHOWN = 5
_KEPT = 15  # candidates kept per thread: enough after a viewer's forums filter

# The title's stemmed words, each quoted (a word like "jf-17" stays one), OR-ed.
_QUERY = (
    "to_tsquery('english', coalesce(nullif(array_to_string(ARRAY("
    "SELECT '''' || replace(w, '''', '''''') || ''''"
    " FROM unnest(tsvector_to_array(to_tsvector('english', %(title)s))) AS w"
    "), ' | '), ''), ''))"
)
# The title: given, or the excluded thread's own.
_TITLE = (
    "coalesce(%(title)s, (SELECT title FROM threads_thread WHERE id = %(exclude)s))"
)
_SQL = f"""
SELECT t.id, t.title, t.slug, t.node_id, t.reply_count, t.last_post_at
FROM threads_thread t, {_QUERY.replace("%(title)s", _TITLE)} AS q
WHERE NOT t.is_deleted AND t.id <> %(exclude)s
  AND to_tsvector('english'::regconfig, t.title) @@ q
  /*nodes*/
ORDER BY ts_rank(to_tsvector('english'::regconfig, t.title), q) DESC,
         t.last_post_at DESC, t.id DESC
LIMIT %(limit)s
"""


@dataclass(frozen=True)
class SimilarThread:
    pk: int
    title: str
    slug: str
    node_id: int
    reply_count: int
    last_post_at: datetime

    def get_absolute_url(self) -> str:
        return Thread(pk=self.pk, slug=self.slug).get_absolute_url()


def _cache_seconds() -> int:
    return getattr(settings, "FORUM_SIMILAR_CACHE_SECONDS", 3600)


def _find(title: str | None, *, exclude: int = 0, nodes=None, limit: int) -> list:
    sql = _SQL.replace(
        "/*nodes*/", "AND t.node_id = ANY(%(nodes)s)" if nodes is not None else ""
    )
    params = {"title": title, "exclude": exclude, "limit": limit}
    if nodes is not None:
        params["nodes"] = list(nodes)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [SimilarThread(*row) for row in cursor.fetchall()]


def similar_to_thread(user, thread_id: int) -> list[SimilarThread]:
    """Up to SHOWN threads with titles like this thread's, in forums this viewer
    may see: from the cache shared by every viewer (one query when it is cold;
    a new title is seen when the entry expires)."""
    key = f"similar:{thread_id}"
    found = pagecache.get(key)
    if found is None:
        found = _find(None, exclude=thread_id, limit=_KEPT)
        pagecache.put(key, found, _cache_seconds())
    visible = visible_node_ids(user)
    return [thread for thread in found if thread.node_id in visible][:SHOWN]


def similar_titles(user, title: str) -> list[SimilarThread]:
    """Threads this member may see whose titles are like `title` (the new-thread
    form's "already discussed"): one query."""
    title = " ".join(title.split())[:200]
    if len(title) < 4:
        return []
    return _find(title, nodes=visible_node_ids(user), limit=SHOWN)
