from django.core.management.base import BaseCommand

from forum.posts.rerender import rerender_posts


class Command(BaseCommand):
    help = "Render every post's stored HTML again (after the renderer changes)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, **options):
        changed = rerender_posts(batch_size=options["batch_size"])
        self.stdout.write(self.style.SUCCESS(f"{changed} posts rendered again."))
