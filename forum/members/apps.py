from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "forum.members"
    label = "members"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from forum.members import plugs

        plugs.install()
