from django.core.management.base import BaseCommand

from forum.moderation.services.community import purge_old_ips


class Command(BaseCommand):
    help = (
        "Forget the IP address of every post older than FORUM_IP_RETENTION_DAYS "
        "(90 by default). Run it daily (cron, or enqueue "
        "forum.moderation.tasks.purge_old_ips)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="Override the retention period."
        )

    def handle(self, *args, days=None, **options):
        count = purge_old_ips(days=days)
        self.stdout.write(f"Forgot the IP address of {count} posts.")
