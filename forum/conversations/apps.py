from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "forum.conversations"
    label = "conversations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from forum.conversations import plugs

        plugs.install()
