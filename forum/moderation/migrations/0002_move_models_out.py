"""Alert moved to notifications, ThreadRedirect to threads (their tables were
renamed by those apps' migrations; this only forgets the models here)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("threads", "0003_move_models"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="threadredirect", name="target"),
                migrations.DeleteModel(name="Alert"),
                migrations.DeleteModel(name="ThreadRedirect"),
            ],
            database_operations=[],
        ),
    ]
