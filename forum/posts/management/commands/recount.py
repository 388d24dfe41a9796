from django.core.management.base import BaseCommand

from forum.posts.recount import recount_all


class Command(BaseCommand):
    help = "Rebuild every denormalized counter (threads, forums, members, reactions)."

    def handle(self, *args, **options):
        recount_all(progress=lambda step: self.stdout.write(f"Recounting {step}…"))
        self.stdout.write(self.style.SUCCESS("Counters rebuilt."))
