"""Name the site (allauth's e-mails use the Sites framework's name and domain)."""

from django.conf import settings
from django.db import migrations


def name_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    domain = (settings.ALLOWED_HOSTS or ["127.0.0.1:8000"])[0]
    if domain in {"127.0.0.1", "localhost"}:
        domain += ":8000"
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME}
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_cache_table"), ("sites", "0002_alter_domain_unique")]

    operations = [migrations.RunPython(name_site, migrations.RunPython.noop)]
