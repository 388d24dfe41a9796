from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Load the demo forum (idempotent). Refuses to run with DEBUG off."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like production. Demo accounts have known "
                "passwords; pass --force if you really want them here."
            )
        from forum.devtools.demo import ADMIN_PASSWORD, DEMO_PASSWORD, load_demo

        load_demo(log=self.stdout.write)
        self.stdout.write(
            "Demo logins:\n"
            f"  admin / {ADMIN_PASSWORD}  (administrator)\n"
            f"  Windjammer, Saleem, Desert Hawk, ... / {DEMO_PASSWORD}"
            "  (every demo member)"
        )
