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
        from forum.core.media import register_access_rule
        from forum.posts import extensions
        from forum.posts.models import ReactionType
        from forum.posts.uploads.markup import register_attach_tag
        from forum.posts.uploads.selectors import attachments_for_posts, swap_inline

        # [ATTACH=id], and a page's attachments in one query per page.
        register_attach_tag()
        extensions.register_body_addon(
            extensions.BodyAddon(
                name="attachments", collect=attachments_for_posts, apply=swap_inline
            )
        )
        # Attachments are served by their own view, which asks whether the viewer
        # may see the post; the storage's own address (/media/) never serves them.
        register_access_rule("attachments/", lambda request, name: False)
        post_save.connect(_reaction_type_changed, sender=ReactionType)
        post_delete.connect(_reaction_type_changed, sender=ReactionType)
