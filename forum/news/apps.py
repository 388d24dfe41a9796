from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "forum.news"
    label = "news"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every process that renders posts (web, workers, management commands,
        # tests) runs ready() before its first render.
        from forum.news import plugs

        plugs.install()
