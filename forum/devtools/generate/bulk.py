"""Writing rows fast: COPY with every column's default, ids handed out in blocks,
secondary indexes dropped for the load, and the SQL that moves staged posts into
posts_post with their search vectors."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from django.db import connection

from forum.devtools.generate.plan import Progress

ROWS_PER_TICK = 10_000


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


def field_default(field_):
    value = field_.get_default()
    if field_.get_internal_type() == "JSONField":
        return json.dumps(value)
    return field_.get_db_prep_save(value, connection)


def _defaults(model, columns: list[str]) -> tuple[list[str], tuple]:
    """The model's other columns and their defaults, so that fields added later (with
    a default, as Django requires) do not break the generator."""
    rest = [
        f
        for f in model._meta.concrete_fields
        if f.column not in columns and not f.primary_key
    ]
    return [f.column for f in rest], tuple(field_default(f) for f in rest)


def copy_rows(
    cursor, model, columns: list[str], rows, progress: Progress | None = None
):
    extra_columns, extra_values = _defaults(model, columns)
    names = ", ".join(qn(c) for c in columns + extra_columns)
    sql = f"COPY {qn(model._meta.db_table)} ({names}) FROM STDIN"
    count = 0
    with cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row + extra_values)
            count += 1
            if progress and count % ROWS_PER_TICK == 0:
                progress.advance(count)
    return count


def reserve_ids(cursor, table: str, count: int) -> int:
    """Hand out `count` ids from the table's sequence; returns the first."""
    cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
    first = cursor.fetchone()[0]
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
        [table, first + count - 1],
    )
    return first


def as_datetime(moment: float) -> datetime:
    return datetime.fromtimestamp(moment, UTC)


def drop_secondary(cursor, tables: list[str]) -> list[str]:
    """Drop the tables' foreign keys and plain indexes; returns the SQL that puts
    them back (indexes first, so that validating the keys is quick)."""
    indexes, keys = [], []
    for table in tables:
        cursor.execute(
            """
            SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
            WHERE c.conrelid = %s::regclass AND c.contype = 'f'
            """,
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
            keys.append(
                f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}"
            )
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
              )
            """,
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f"DROP INDEX {name}")
            indexes.append(definition)
    return indexes + keys


STAGING_SQL = """
CREATE TEMP TABLE generated_post (
  id bigint, thread_id bigint, position integer, author_id bigint,
  author_name text, created_at timestamptz, body text, body_html text,
  pool_key integer, quote_key integer, quote_member bigint,
  is_deleted boolean, deleted_at timestamptz, reaction_total integer,
  reaction_score integer, reaction_counts jsonb, recent_reactors jsonb
)
"""
STAGED = [
    "id", "thread_id", "position", "author_id", "author_name", "created_at", "body",
    "body_html", "is_deleted", "deleted_at", "reaction_total", "reaction_score",
    "reaction_counts", "recent_reactors",
]  # fmt: skip

# What index_post stores: the thread title (weight A) on the first post, the text of
# the rendered body (weight B). Parsing a million bodies would take minutes, so each
# piece is vectorized once (a pool body, a pool body's quoted excerpt, a member's
# name) and a post's vector is the concatenation of its pieces: the same lexemes and
# weights as vectorizing the whole text.
TEXT_VECTOR = (
    "setweight(to_tsvector('english', regexp_replace({html}, '<[^>]*>', ' ', 'g')),"
    " 'B')"
)
POST_VECTOR = """
CASE WHEN s.position = 0 THEN setweight(to_tsvector('english', t.title), 'A')
     ELSE ''::tsvector END
|| CASE WHEN s.quote_key IS NULL THEN ''::tsvector ELSE n.vector || q.quote END
|| b.body
"""
MOVE_POSTS_SQL = """
INSERT INTO posts_post ({columns})
SELECT {values}
FROM generated_post s
JOIN threads_thread t ON t.id = s.thread_id
JOIN generated_vector b ON b.pool_key = s.pool_key
LEFT JOIN generated_vector q ON q.pool_key = s.quote_key
LEFT JOIN generated_name n ON n.member_id = s.quote_member
"""
