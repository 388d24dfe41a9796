# The forum page's sort indexes on threads_thread, built without blocking writes
# (CREATE INDEX CONCURRENTLY: a busy board keeps posting while they build).

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("threads", "0005_prefixes_tags_sorts"),
    ]

    operations = [
        *(
            AddIndexConcurrently(
                model_name="thread",
                index=models.Index(
                    condition=models.Q(("is_deleted", False)),
                    fields=["node", "is_sticky", column, "id"],
                    name=f"thread_by_{column.split('_')[0]}_idx",
                ),
            )
            for column in ("created_at", "reply_count", "view_count", "title")
        ),
        AddIndexConcurrently(
            model_name="thread",
            index=models.Index(
                condition=models.Q(("is_deleted", False)),
                fields=["node", "prefix", "is_sticky", "last_post_at", "id"],
                name="thread_prefix_idx",
            ),
        ),
    ]
