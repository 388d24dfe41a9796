"""ThreadRedirect moves here from moderation (a merged thread's address is the
thread's own business); SidebarWidget moves to discovery; threads remember their
last visible post's position (read markers compare with it, without a join)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("threads", "0002_sidebarwidget"),
        ("posts", "0002_default_reaction_types"),
        ("moderation", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="thread",
            name="last_post_position",
            field=models.IntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.RunSQL(
            "UPDATE threads_thread t SET last_post_position = p.position"
            " FROM posts_post p WHERE p.id = t.last_post_id",
            migrations.RunSQL.noop,
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ThreadRedirect",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("old_thread_id", models.BigIntegerField(unique=True)),
                        (
                            "created_at",
                            models.DateTimeField(default=django.utils.timezone.now),
                        ),
                        (
                            "target",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="threads.thread",
                            ),
                        ),
                    ],
                ),
                migrations.DeleteModel(name="SidebarWidget"),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE moderation_threadredirect"
                    " RENAME TO threads_threadredirect",
                    "ALTER TABLE threads_threadredirect"
                    " RENAME TO moderation_threadredirect",
                ),
            ],
        ),
    ]
