from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "forum.discovery"
    label = "discovery"
    default_auto_field = "django.db.models.BigAutoField"
