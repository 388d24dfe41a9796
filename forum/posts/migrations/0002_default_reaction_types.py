from django.db import migrations

# The board's reaction set when it is first created (frozen here: later edits
# happen in the admin).
DEFAULT_TYPES = [
    ("Like", "\U0001f44d", 1),
    ("Love", "\u2764\ufe0f", 1),
    ("Haha", "\U0001f602", 1),
    ("Wow", "\U0001f62e", 1),
    ("Sad", "\U0001f622", 0),
    ("Angry", "\U0001f621", 0),
]


def add_default_types(apps, schema_editor):
    ReactionType = apps.get_model("posts", "ReactionType")
    if ReactionType.objects.exists():
        return
    ReactionType.objects.bulk_create(
        ReactionType(name=name, emoji=emoji, score=score, display_order=10 * (i + 1))
        for i, (name, emoji, score) in enumerate(DEFAULT_TYPES)
    )


def remove_default_types(apps, schema_editor):
    ReactionType = apps.get_model("posts", "ReactionType")
    Reaction = apps.get_model("posts", "Reaction")
    names = [name for name, _, _ in DEFAULT_TYPES]
    used = Reaction.objects.values("reaction_type_id")
    ReactionType.objects.filter(name__in=names).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("posts", "0001_initial")]

    operations = [migrations.RunPython(add_default_types, remove_default_types)]
