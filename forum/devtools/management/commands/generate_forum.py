import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from forum.devtools.generate import (
    EMAIL_DOMAIN,
    PASSWORD,
    BoardNotEmpty,
    BoardSpec,
    Progress,
    generate_board,
)


class ProgressBar(Progress):
    """One line per phase: a live bar on a terminal, the final line elsewhere."""

    WIDTH = 30

    def __init__(self, out):
        self.out = out
        self.tty = out.isatty()
        self.name = ""
        self.total = 0
        self.started = 0.0

    def start(self, phase: str, total: int = 0) -> None:
        self.name, self.total, self.started = phase, total, time.monotonic()
        if self.tty:
            self.out.write(self._line(0), ending="")
            self.out.flush()

    def advance(self, done: int) -> None:
        if self.tty:
            self.out.write("\r" + self._line(done), ending="")
            self.out.flush()

    def finish(self, detail: str = "") -> None:
        seconds = time.monotonic() - self.started
        line = f"  {self.name:<15} {detail:<36} {seconds:7.1f} s"
        self.out.write(("\r\033[K" if self.tty else "") + line)

    def _line(self, done: int) -> str:
        elapsed = time.monotonic() - self.started
        if not self.total:
            return f"  {self.name:<15} …  {elapsed:6.1f} s"
        filled = int(self.WIDTH * min(done, self.total) / self.total)
        bar = "█" * filled + "░" * (self.WIDTH - filled)
        return f"  {self.name:<15} {bar} {done:>11,}/{self.total:,} {elapsed:6.1f} s"


class Command(BaseCommand):
    help = (
        "Generate a large, realistic board for benchmarking (members, forums, "
        "threads, megathreads, quoted posts, reactions) with PostgreSQL COPY."
    )

    def add_arguments(self, parser):
        spec = BoardSpec()
        parser.add_argument("--posts", type=int, default=spec.posts)
        parser.add_argument("--members", type=int, default=spec.members)
        parser.add_argument("--forums", type=int, default=spec.forums)
        parser.add_argument("--threads", type=int, default=spec.threads)
        parser.add_argument("--megathreads", type=int, default=spec.megathreads)
        parser.add_argument(
            "--megathread-posts", type=int, default=spec.megathread_posts
        )
        parser.add_argument("--seed", type=int, default=spec.seed)
        parser.add_argument(
            "--wipe",
            action="store_true",
            help="Delete every forum, thread and post (and previously generated "
            "members) first. Without it the command refuses a non-empty forum.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like production. Generated members share a "
                "known password and --wipe deletes every post; pass --force if you "
                "really mean it."
            )
        spec = BoardSpec(
            posts=options["posts"],
            members=options["members"],
            forums=options["forums"],
            threads=options["threads"],
            megathreads=options["megathreads"],
            megathread_posts=options["megathread_posts"],
            seed=options["seed"],
        )
        if problems := spec.problems():
            raise CommandError(" ".join(problems))
        self.stdout.write(
            f"Generating {spec.posts:,} posts in {spec.threads:,} threads "
            f"({spec.megathreads} megathreads of {spec.megathread_posts:,}), "
            f"{spec.forums} forums, {spec.members:,} members (seed {spec.seed})."
        )
        try:
            summary = generate_board(
                spec, wipe=options["wipe"], progress=ProgressBar(self.stdout)
            )
        except BoardNotEmpty as refusal:
            raise CommandError(
                f"{refusal} Pass --wipe to delete them first."
            ) from refusal
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {summary.posts:,} posts, {summary.threads:,} threads, "
                f"{summary.reactions:,} reactions and {summary.members:,} members "
                f"in {summary.seconds:.1f} s."
            )
        )
        self.stdout.write(
            f"Every generated member (e-mail @{EMAIL_DOMAIN}) logs in with the "
            f'password "{PASSWORD}".'
        )
