from django.core.management.base import BaseCommand

from forum.notifications.mail import DIGEST_PERIODS, send_digests


class Command(BaseCommand):
    help = (
        "Mail the alert digests that are due (run it hourly from cron or a "
        "scheduler: each member gets at most one per day or week)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "frequency", nargs="*", choices=sorted(DIGEST_PERIODS), default=[]
        )

    def handle(self, *args, frequency, **options):
        for name in frequency or sorted(DIGEST_PERIODS):
            sent = send_digests(name)
            self.stdout.write(f"{name}: {sent} digest(s) queued")
