from django.core.management.base import BaseCommand

from forum.posts.uploads.services import ORPHAN_HOURS, delete_orphans


class Command(BaseCommand):
    help = (
        "Remove uploads that no post claimed within a day (each upload also "
        "queues its own check; run this daily to sweep anything missed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=ORPHAN_HOURS)

    def handle(self, *args, hours=ORPHAN_HOURS, **options):
        self.stdout.write(f"Removed {delete_orphans(hours=hours)} orphan uploads.")
