import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.urls import reverse

from forum.devtools import bench

CEILING = "ceiling"
THREAD_FIRST = "thread page 1"
DEEP_PAGE = 2500


def _database_url(name: str | None) -> str:
    """The URL the web processes use: ours, pointed at database `name` if given."""
    from forum.core.database import database_url

    url = database_url()
    if not name:
        return url
    return urlunsplit(urlsplit(url)._replace(path="/" + quote(name)))


def discover_targets() -> list[tuple[str, str | None]]:
    """(name, path) of each page measured, found in the database. A path of None:
    the board has no such page."""
    from django.contrib.auth import get_user_model

    from forum.threads.models import Node, Thread

    forum = Node.objects.forums().order_by("-thread_count", "id").first()
    mega = Thread.objects.visible().order_by("-last_position", "id").first()
    member = (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("-message_count", "id")
        .first()
    )
    deep = min(DEEP_PAGE, mega.page_count) if mega else DEEP_PAGE
    return [
        (CEILING, reverse("ceiling")),
        ("forum index", "/"),
        ("forum page", forum.get_absolute_url() if forum else None),
        (THREAD_FIRST, mega.get_absolute_url() if mega else None),
        (f"thread page {deep:,}", mega.get_absolute_url(deep) if mega else None),
        ("member profile", member.get_absolute_url() if member else None),
        ("what's new", "/whats-new/"),
        ("search", "/search/?q=strategic"),
        ("search: two words", "/search/?q=strategic+regional"),
        ("search: phrase", "/search/?q=%22official+statements%22"),
        ("search: titles only", "/search/?q=strategic&titles_only=1"),
        (
            "search: one member",
            f"/search/?q=strategic&member={quote(member.username)}" if member else None,
        ),
        ("search: per thread", "/search/?q=strategic&group=thread"),
    ]


def benchmark_member(username: str | None):
    from django.contrib.auth import get_user_model

    from forum.devtools.generate import EMAIL_DOMAIN

    members = get_user_model().objects.filter(is_active=True)
    if username:
        return members.filter(username__iexact=username).first()
    # A generated member with a plain name (no space to trip the login form).
    return (
        members.filter(email__endswith="@" + EMAIL_DOMAIN)
        .exclude(username__contains=" ")
        .order_by("id")
        .first()
    )


class Command(BaseCommand):
    help = (
        "Measure the pages under load: starts gunicorn (DEBUG off) on 127.0.0.1, "
        "drives each page as a guest and as a member, and reports requests/s, "
        "latency and the ratio to a do-nothing ceiling view."
    )

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=float, default=10.0)
        parser.add_argument("--warmup", type=float, default=1.0)
        parser.add_argument("--concurrency", type=int, default=8)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--output", default=".benchmark/results.json")
        parser.add_argument("--chart", default=".benchmark/chart.svg")
        parser.add_argument(
            "--database-name",
            help="Serve this database instead of the configured one (the tests "
            "pass their test database).",
        )
        parser.add_argument(
            "--member",
            help="Log in as this member (default: the first generated member).",
        )
        parser.add_argument("--password", default="demo")
        parser.add_argument(
            "--only",
            default="",
            help="Measure only the targets whose names start with one of these "
            'comma-separated words ("search"); the ceiling is always measured.',
        )
        parser.add_argument(
            "--caches-off",
            action="store_true",
            help="Serve every page rendered afresh: no guest page cache, no shared "
            "renders (what a cache miss, a moderator or the first view after a "
            "write costs). The cpu ms column is the point of it.",
        )
        parser.add_argument(
            "--driver",
            choices=["auto", "wrk", "python"],
            default="auto",
            help="auto: wrk when it is on PATH, else the built-in Python driver.",
        )

    def handle(self, *args, **options):
        # An owner of the embedded server (forum/core/database.py): it stays up for
        # the whole run and, if this command started it, stops at the end.
        from forum.core.database import serving

        with serving():
            self.run_benchmark(options)

    def run_benchmark(self, options):
        if options["duration"] <= 0 or options["concurrency"] < 1:
            raise CommandError("--duration must be > 0 and --concurrency >= 1.")
        driver = options["driver"]
        if driver == "auto":
            driver = "wrk" if bench.wrk_available() else "python"
        elif driver == "wrk" and not bench.wrk_available():
            raise CommandError("wrk is not on PATH.")
        name = options["database_name"]
        if name and name != connections["default"].settings_dict["NAME"]:
            connections["default"].close()
            connections["default"].settings_dict["NAME"] = name

        targets = discover_targets()
        only = [word.strip() for word in options["only"].split(",") if word.strip()]
        if only:
            targets = [
                (target, path)
                for target, path in targets
                if target == CEILING or any(target.startswith(w) for w in only)
            ]
        member = benchmark_member(options["member"])
        if member is None:
            raise CommandError(
                "No member to log in as: generate a board first "
                "(manage.py generate_forum) or pass --member."
            )
        base = Path(settings.BASE_DIR)
        with tempfile.TemporaryDirectory(prefix="forum-bench-") as scratch:
            env = self.server_env(name, scratch)
            if options["caches_off"]:
                env.update(
                    FORUM_GUEST_CACHE_SECONDS="0", FORUM_MEMBER_CACHE_SECONDS="0"
                )
            self.collect_static(env, base)
            log_path = Path(options["output"]).with_name("gunicorn.log")
            log_path.parent.mkdir(parents=True, exist_ok=True)
            server = bench.Gunicorn(
                workers=options["workers"],
                env=env,
                cwd=base,
                log_path=log_path,
                ready_path=reverse("ceiling"),
            )
            try:
                with server:
                    rows = self.measure(server, targets, member, driver, options)
            except bench.BenchmarkError as error:
                raise CommandError(str(error)) from error
            except KeyboardInterrupt as interrupt:
                raise CommandError("Interrupted; gunicorn was stopped.") from interrupt
        self.report(rows, driver, options)

    def server_env(self, database_name: str | None, scratch: str) -> dict:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="forum.settings",
            DEBUG="0",
            # Throwaway: sessions made during the run are worthless afterwards.
            SECRET_KEY=secrets.token_urlsafe(50),
            SECURE_SSL_REDIRECT="0",
            SECURE_COOKIES="0",
            SECURE_HSTS_SECONDS="0",
            ALLOWED_HOSTS=bench.HOST,
            # Production settings leave the development pages out; the ceiling
            # is one of them.
            FORUM_DEVTOOLS="1",
            RATE_LIMITS="0",
            DATABASE_URL=_database_url(database_name),
            # A page cache of its own, so no page of an earlier board is served.
            PAGE_CACHE_DIR=os.path.join(scratch, "pages"),
            # The application is measured, not a log line per request.
            GUNICORN_ACCESS_LOG="",
            PYTHONUNBUFFERED="1",
        )
        return env

    def collect_static(self, env: dict, base: Path) -> None:
        """Production settings serve hashed static files from a manifest."""
        done = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=base,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise CommandError(f"collectstatic failed:\n{done.stderr}")

    def measure(self, server, targets, member, driver, options) -> list:
        port = server.port
        cookie = bench.log_in(
            port,
            member.username,
            options["password"],
            session_cookie=settings.SESSION_COOKIE_NAME,
            csrf_cookie=settings.CSRF_COOKIE_NAME,
        )
        run = bench.drive_wrk if driver == "wrk" else bench.drive
        roles = {"guest": {}, "member": {"Cookie": cookie}}
        ceiling = dict(targets)[CEILING]
        rows = []
        for target, path in targets:
            for role, headers in roles.items():
                row = bench.Row(target=target, role=role, path=path)
                rows.append(row)
                if path is None:
                    row.status, row.note = "n/a", "no such page on this board"
                    continue
                status, _, _ = bench.get(port, path, headers)
                if status == 404:
                    row.status, row.note = "n/a", "404"
                    continue
                if status != 200:
                    row.status, row.note = "error", f"HTTP {status}"
                    continue
                self.stderr.write(f"  {target} as {role}…")
                load = {"concurrency": options["concurrency"], "headers": headers}
                if options["warmup"] > 0:
                    run(port, path, duration=options["warmup"], **load)
                if target != CEILING:  # the ceiling again, next to the page
                    paired = run(port, ceiling, duration=options["duration"], **load)
                    row.ceiling_rps = paired.rps
                cpu, db = server.cpu_seconds(), self.database_cpu()
                row.result = run(port, path, duration=options["duration"], **load)
                requests = max(row.result.requests, 1)
                row.cpu_ms = (server.cpu_seconds() - cpu) * 1000 / requests
                if db is not None:
                    row.db_cpu_ms = (self.database_cpu() - db) * 1000 / requests
        bench.add_ratios(rows, CEILING)
        return rows

    def database_cpu(self) -> float | None:
        """Processor seconds of the embedded PostgreSQL (None for another
        server: it is not on this machine, or not ours to read)."""
        if os.environ.get("DATABASE_URL"):
            return None
        from forum.core.database import embedded_data_dir

        pid = bench.postgres_pid(embedded_data_dir())
        return bench.process_tree_cpu(pid) if pid else None

    def report(self, rows, driver: str, options) -> None:
        deep = next(
            (
                row.target
                for row in rows
                if row.target.startswith("thread page ") and row.target != THREAD_FIRST
            ),
            None,
        )
        deep_ratios = bench.deep_page_ratios(rows, THREAD_FIRST, deep) if deep else {}
        deep_costs = (
            bench.deep_page_cost_ratios(rows, THREAD_FIRST, deep) if deep else {}
        )
        board = self.board_size()
        self.stdout.write(
            f"\n{board['posts']:,} posts, {board['threads']:,} threads, "
            f"{board['members']:,} members · gunicorn {options['workers']} workers · "
            f"{options['concurrency']} connections · {options['duration']:g} s per "
            f"page · driver: {driver}"
            f"{' · caches off' if options['caches_off'] else ''}\n"
        )
        self.stdout.write(bench.format_table(rows))
        self.stdout.write(
            "ratio: a page's requests/s over the ceiling's for the same role, "
            "measured just before the page; cpu ms, db ms: processor time per "
            "request of gunicorn's workers and of the database server"
        )
        pages = deep.removeprefix("thread page ").replace(",", "") if deep else "?"
        values = ", ".join(f"{v:.2f} {role}" for role, v in deep_ratios.items())
        self.stdout.write(
            f"\npage-{pages} / page-1 latency ratio (p50): {values or 'n/a'}"
        )
        costs = ", ".join(f"{v:.2f} {role}" for role, v in deep_costs.items())
        self.stdout.write(
            f"page-{pages} / page-1 cost, each against its ceiling: {costs or 'n/a'}"
        )
        document = bench.results_document(
            rows,
            measured_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            driver=driver,
            duration=options["duration"],
            concurrency=options["concurrency"],
            workers=options["workers"],
            caches_off=options["caches_off"],
            board=board,
            deep_page_latency_ratio_p50=deep_ratios,
            deep_page_cost_ratio=deep_costs,
        )
        output, chart = Path(options["output"]), Path(options["chart"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(document, indent=2) + "\n")
        chart.parent.mkdir(parents=True, exist_ok=True)
        chart.write_text(
            bench.render_svg(rows, title="Requests/s as a fraction of the ceiling")
        )
        self.stdout.write(f"Results: {output}  Chart: {chart}")

    def board_size(self) -> dict:
        with connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT count(*) FROM posts_post),"
                " (SELECT count(*) FROM threads_thread),"
                " (SELECT count(*) FROM accounts_user)"
            )
            posts, threads, members = cursor.fetchone()
        return {"posts": posts, "threads": threads, "members": members}
