"""`manage.py health`: the web's /-/health checks for a process without HTTP (the
worker's container health check). Exit status 0 when healthy, 1 otherwise."""

import json

from django.core.management.base import BaseCommand, CommandError

from forum.core.health import run_checks


class Command(BaseCommand):
    help = "Check that the database and the shared cache answer (exit 1 if not)."

    def handle(self, *args, **options):
        results = run_checks()
        self.stdout.write(json.dumps(results))
        if any(value != "ok" for value in results.values()):
            raise CommandError("unhealthy")
