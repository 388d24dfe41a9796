from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "forum.news"
    label = "news"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from forum.news import plugs

        plugs.install()
