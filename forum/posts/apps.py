from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def _reaction_type_changed(sender, **kwargs):
    from forum.posts.reaction_selectors import forget_reaction_types

    forget_reaction_types()


class PostsConfig(AppConfig):
    name = "forum.posts"
    label = "posts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from forum.posts.models import ReactionType

        post_save.connect(_reaction_type_changed, sender=ReactionType)
        post_delete.connect(_reaction_type_changed, sender=ReactionType)
