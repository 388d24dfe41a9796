from django.core.management.base import BaseCommand

from forum.posts.drafts.services import delete_expired


class Command(BaseCommand):
    help = "Remove drafts untouched for FORUM_DRAFT_DAYS (30 by default). Run daily."

    def handle(self, *args, **options):
        self.stdout.write(f"Removed {delete_expired()} expired drafts.")
