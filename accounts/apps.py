from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def _address_changed(sender, instance, **kwargs):
    from accounts.selectors import forget_verified_email

    forget_verified_email(instance.user_id)


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Members"

    def ready(self):
        from allauth.account.models import EmailAddress

        # has_verified_email remembers the answer between requests.
        post_save.connect(_address_changed, sender=EmailAddress)
        post_delete.connect(_address_changed, sender=EmailAddress)
