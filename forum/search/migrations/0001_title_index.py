"""A full-text index over thread titles, for titles-only search, similar threads
and "already discussed": an expression GIN index on the stemmed title of threads
not deleted (no extension needed)."""

from django.db import migrations


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY: a live board keeps writing

    dependencies = [("threads", "0004_composer")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS search_thread_title_fts"
            " ON threads_thread USING gin (to_tsvector('english'::regconfig, title))"
            " WHERE NOT is_deleted",
            "DROP INDEX CONCURRENTLY IF EXISTS search_thread_title_fts",
        ),
    ]
