"""`manage.py benchmark_search`: the search table, measured in process.

Each query kind (one word, two words, a phrase, titles only, one member's posts,
one forum's, grouped per thread...) runs `forum.search.selectors.search_posts`
for a signed-in member `--repeat` times after a warm-up; the table gives p50 and
p95 in milliseconds per kind, and the p50 of the time its statements took as the
client saw them (`sql ms`: the rest is Python, and waiting for a processor).
The words are picked from the board itself (the
commonest title words), so the same command measures a test board and the
1,000,000-post one.
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.devtools.bench.search import query_kinds, run_kind


class Command(BaseCommand):
    help = "Measure search in process: p50/p95 per query kind."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--warmup", type=int, default=2)
        parser.add_argument("--only", default="", help="comma-separated kinds")

    def handle(self, *args, **options):
        kinds = query_kinds()
        only = {k.strip() for k in options["only"].split(",") if k.strip()}
        width = max(len(kind.name) for kind in kinds)
        header = (
            f"{'query kind':<{width}}  {'p50 ms':>8}  {'p95 ms':>8}  {'sql ms':>7}"
            "  results  q"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for kind in kinds:
            if only and kind.name not in only:
                continue
            for _ in range(options["warmup"]):
                run_kind(kind)
            times, sql = [], []
            found = 0
            for _ in range(options["repeat"]):
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    found = run_kind(kind)
                    times.append((time.perf_counter() - start) * 1000)
                sql.append(sum(float(q["time"]) for q in captured) * 1000)
            times.sort()
            p50 = statistics.median(times)
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            self.stdout.write(
                f"{kind.name:<{width}}  {p50:>8.1f}  {p95:>8.1f}  "
                f"{statistics.median(sql):>7.1f}  {found:>7}  "
                f"{kind.label}"
            )
