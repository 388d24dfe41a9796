from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "forum.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every process that writes or renders posts (web, workers, management
        # commands, tests) runs ready() first.
        from forum.notifications import plugs

        plugs.install()
