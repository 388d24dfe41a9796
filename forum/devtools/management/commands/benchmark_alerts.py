import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from forum.devtools.bench import alerts


class Command(BaseCommand):
    help = (
        "Measure what alerts cost: a reply's latency with 0 and with --watchers "
        "watchers (their ratio), and the background fan-out for those watchers. "
        "Cleans up after itself."
    )

    def add_arguments(self, parser):
        parser.add_argument("--watchers", type=int, default=5000)
        parser.add_argument("--replies", type=int, default=20)
        parser.add_argument("--output", default=".benchmark/alerts.json")

    def handle(self, *args, **options):
        from forum.core.database import serving

        if options["watchers"] < 1 or options["replies"] < 1:
            raise CommandError("--watchers and --replies must be at least 1.")
        with serving():
            result = alerts.run(
                watchers=options["watchers"],
                replies=options["replies"],
                log=lambda line: self.stderr.write(line),
            )
        document = result.as_dict() | {
            "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        for name, value in document.items():
            self.stdout.write(f"{name}: {value}")
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(document, indent=2) + "\n")
