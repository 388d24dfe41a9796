from django.apps import AppConfig


class BookmarksConfig(AppConfig):
    name = "forum.bookmarks"
    label = "bookmarks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from forum.bookmarks import plugs

        plugs.install()
