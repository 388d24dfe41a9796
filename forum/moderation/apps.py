from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "forum.moderation"
    label = "moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from forum.moderation.permission_rows import load_snapshot
        from forum.moderation.services import content, labels, log
        from forum.policy import snapshot
        from forum.posts import extensions

        # The policy questions read who may do what where from this app's rows.
        snapshot.register_loader(load_snapshot)
        # A change to another member's post from the posts pages is a moderator
        # action: made here, so that it and its log entry commit together.
        extensions.register_moderator_writes(
            edit=content.edit_post,
            delete=content.delete_post,
            restore=content.restore_post,
            # The prefix and tags of someone else's thread (its first post's form).
            label=labels.label_thread,
            # Add-ons above posts (conversations) log their moderator actions.
            log=log.record,
        )
