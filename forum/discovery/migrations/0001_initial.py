"""Sidebar widgets move here from threads: the table is renamed, the rows kept."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("threads", "0002_sidebarwidget"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SidebarWidget",
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
                        (
                            "title",
                            models.CharField(
                                blank=True,
                                help_text='Blank: "<forum title> Latest Posts".',
                                max_length=100,
                            ),
                        ),
                        (
                            "show_on_index",
                            models.BooleanField(
                                default=True, verbose_name="On the forum index"
                            ),
                        ),
                        (
                            "show_on_threads",
                            models.BooleanField(
                                default=True, verbose_name="On thread pages"
                            ),
                        ),
                        (
                            "show_on_forums",
                            models.BooleanField(
                                default=False, verbose_name="On forum pages"
                            ),
                        ),
                        ("display_order", models.IntegerField(default=10)),
                        (
                            "limit",
                            models.PositiveSmallIntegerField(
                                default=5,
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(20),
                                ],
                                verbose_name="Threads shown",
                            ),
                        ),
                        ("is_active", models.BooleanField(default=True)),
                        (
                            "node",
                            models.ForeignKey(
                                limit_choices_to={"kind": "forum"},
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="threads.node",
                            ),
                        ),
                    ],
                    options={"ordering": ["display_order", "id"]},
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE threads_sidebarwidget"
                    " RENAME TO discovery_sidebarwidget",
                    "ALTER TABLE discovery_sidebarwidget"
                    " RENAME TO threads_sidebarwidget",
                ),
            ],
        ),
    ]
