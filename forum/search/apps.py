from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "forum.search"
    label = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from forum.search import plugs

        plugs.install()
