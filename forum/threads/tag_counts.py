"""What a viewer may know of tags: how many threads they can see under each.

`Tag.thread_count` counts every thread not deleted, in every forum. Shown to a
viewer who cannot see some forum, it would tell them of the threads there: a
tag used only in the staff room would give away its name and how busy it is.
So every tag name and count a viewer is shown (the tag cloud, the suggestions
of the tag field, the tags index) comes from here, and counts only the threads
the lists show them: not deleted, in a forum they may see
(`forum.policy.visible_node_ids`), the rule of `Post.objects.listed_for`.

The forums a count covers are its *audience* (`audience(user)`): None when the
viewer sees every forum, and then the kept `Tag.thread_count` is theirs and is
read as it is; otherwise one grouped statement over the tags of the threads in
those forums. A shared render (forum/core/perviewer.py) is made for a
representative of a role, so its audience is that role's: what every viewer
served that render may see, and no more.
"""

import hashlib
import math
from dataclasses import dataclass

from django.db import connection

from forum import policy
from forum.core.pagination import PageNav, page_nav


def audience(user) -> frozenset[int] | None:
    """The forums whose threads count for this viewer; None for every forum."""
    seen = frozenset(policy.visible_node_ids(user))
    if seen >= policy.every_node_id():
        return None
    return seen


def audience_key(nodes: frozenset[int] | None) -> str:
    """A short name for an audience (cache keys): viewers who see the same
    forums share it."""
    if nodes is None:
        return "all"
    text = ",".join(str(pk) for pk in sorted(nodes))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


# The threads a count covers, joined to their tags. {nodes}: the audience's
# condition (nothing for every forum).
_COUNTS = """
SELECT tt.tag_id, count(*) AS n
FROM threads_threadtag tt JOIN threads_thread t ON t.id = tt.thread_id
WHERE NOT t.is_deleted{nodes}
GROUP BY tt.tag_id
"""


def _counts_sql(nodes: frozenset[int] | None) -> tuple[str, list]:
    """A statement of (tag_id, n) rows for this audience, and its parameters;
    for every forum, the kept counts."""
    if nodes is None:
        return "SELECT id AS tag_id, thread_count AS n FROM threads_tag", []
    return _COUNTS.format(nodes=" AND t.node_id = ANY(%s)"), [sorted(nodes)]


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def cloud(nodes: frozenset[int] | None, limit: int = 30) -> list[dict]:
    """The tags most used in the audience's forums, with a size from 1 to 5
    (their counts on a log scale), by name: name, key, thread_count, size.
    One statement (for every forum: through tag_cloud_idx)."""
    if nodes is None:
        sql = (
            "SELECT name, key, thread_count FROM threads_tag"
            " WHERE synonym_of_id IS NULL AND thread_count > 0"
            " ORDER BY thread_count DESC, key LIMIT %s"
        )
        params = [limit]
    else:
        counts, params = _counts_sql(nodes)
        sql = (
            f"SELECT g.name, g.key, c.n FROM ({counts}) c"
            " JOIN threads_tag g ON g.id = c.tag_id"
            " WHERE g.synonym_of_id IS NULL"
            " ORDER BY c.n DESC, g.key LIMIT %s"
        )
        params = [*params, limit]
    rows = [
        {"name": name, "key": key, "thread_count": n}
        for name, key, n in _rows(sql, params)
    ]
    if not rows:
        return []
    top = math.log(rows[0]["thread_count"] + 1)
    for row in rows:
        row["size"] = 1 + round(4 * math.log(row["thread_count"] + 1) / top)
    return sorted(rows, key=lambda r: r["name"].casefold())


@dataclass(frozen=True)
class Suggestion:
    name: str
    key: str
    official: bool
    threads: int


def _like_prefix(key: str) -> str:
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def suggest(user, key: str, *, limit: int = 8) -> list[Suggestion]:
    """Tags whose key starts with `key` (normalized) that the viewer has a
    thread under, or that staff made official (public on purpose), with the
    viewer's counts: official first, then the most used. A synonym leads to
    its tag. One statement."""
    if not key:
        return []
    nodes = audience(user)
    wanted = (
        "g.synonym_of_id IS NULL AND g.id IN (SELECT COALESCE(s.synonym_of_id,"
        " s.id) FROM threads_tag s WHERE s.key LIKE %s)"
    )
    if nodes is None:
        sql = (
            "SELECT g.name, g.key, g.is_official, g.thread_count AS n"
            f" FROM threads_tag g WHERE {wanted}"
            " AND (g.thread_count > 0 OR g.is_official)"
        )
        params = []
    else:
        # One pass over the candidates' threads (a count per tag, correlated,
        # took four times as long for a one-letter prefix).
        sql = (
            "SELECT g.name, g.key, g.is_official, count(t.id) AS n"
            " FROM threads_tag g"
            " LEFT JOIN threads_threadtag tt ON tt.tag_id = g.id"
            " LEFT JOIN threads_thread t ON t.id = tt.thread_id"
            " AND NOT t.is_deleted AND t.node_id = ANY(%s)"
            f" WHERE {wanted} GROUP BY g.id"
            " HAVING count(t.id) > 0 OR g.is_official"
        )
        params = [sorted(nodes)]
    sql += " ORDER BY is_official DESC, n DESC, key LIMIT %s"
    rows = _rows(sql, [*params, _like_prefix(key), limit])
    return [Suggestion(name, key, official, n) for name, key, official, n in rows]


@dataclass(frozen=True)
class IndexedTag:
    name: str
    key: str
    official: bool
    threads: int


@dataclass
class TagIndex:
    tags: list[IndexedTag]
    nav: PageNav
    total: int
    query: str


def tag_index(user, *, key: str, page: int, per_page: int) -> TagIndex:
    """The tags the viewer has threads under (whose key holds `key`, when
    given), by name, with the viewer's counts: a page of them and how many
    there are. One statement; one more for a page past the end."""
    nodes = audience(user)
    counts, params = _counts_sql(nodes)
    where = ""
    if key:
        where = " AND g.key LIKE %s"
        params = [*params, "%" + _like_prefix(key)]
    sql = (
        "SELECT g.name, g.key, g.is_official, c.n, count(*) OVER () AS total"
        f" FROM ({counts}) c JOIN threads_tag g ON g.id = c.tag_id"
        f" WHERE g.synonym_of_id IS NULL AND c.n > 0{where}"
        " ORDER BY lower(g.name), g.id LIMIT %s OFFSET %s"
    )
    page = max(1, page)
    rows = _rows(sql, [*params, per_page, (page - 1) * per_page])
    if not rows and page > 1:  # past the end: the last page
        total = _rows(
            f"SELECT count(*) FROM ({counts}) c JOIN threads_tag g"
            f" ON g.id = c.tag_id WHERE g.synonym_of_id IS NULL AND c.n > 0{where}",
            params,
        )[0][0]
        page = max(1, -(-total // per_page))
        rows = _rows(sql, [*params, per_page, (page - 1) * per_page])
    total = rows[0][4] if rows else 0
    nav = page_nav(page, max(1, -(-total // per_page)))
    tags = [IndexedTag(name, k, official, n) for name, k, official, n, _ in rows]
    return TagIndex(tags=tags, nav=nav, total=total, query=key)
