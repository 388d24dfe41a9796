"""Database connections from the environment (forum/core/dbconfig.py): the web's
statement timeout, the psycopg pool, persistent connections otherwise."""

import os
import subprocess
import sys
from pathlib import Path

from forum.core import dbconfig
from forum.core.database import database_url

ROOT = Path(__file__).resolve().parent.parent.parent
URL = "postgres://forum:secret@db.internal:5432/forum"

PROBE = (
    "import sys\n"
    "if sys.argv[1] == 'web':\n"
    "    import forum.wsgi\n"
    "else:\n"
    "    import django; django.setup()\n"
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('SHOW statement_timeout')\n"
    "    timeout = cursor.fetchone()[0]\n"
    "print(timeout, connection.pool is not None)\n"
)


def probe(kind: str, **env) -> list[str]:
    """What a web process (or a command) started with `env` finds."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"FORUM_WEB_PROCESS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    base.update(DEBUG="1", DATABASE_URL=database_url(), **env)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, kind],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_web_requests_get_a_statement_timeout_and_commands_none():
    assert probe("web") == ["10s", "False"]
    assert probe("web", DB_STATEMENT_TIMEOUT_MS="2500") == ["2500ms", "False"]
    assert probe("command") == ["0", "False"]


def test_the_pool_serves_the_embedded_database_too():
    assert probe("web", DB_POOL="1") == ["10s", "True"]


def test_pool_settings_replace_persistent_connections():
    config = dbconfig.connection_settings(
        dbconfig.parse(URL),
        {"DB_POOL": "1", "DB_POOL_MAX_SIZE": "8"},
        testing=False,
        web=False,
    )

    assert config["CONN_MAX_AGE"] == 0
    assert config["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 8, "timeout": 10}
    assert "options" not in config["OPTIONS"]


def test_persistent_connections_by_default():
    config = dbconfig.connection_settings(
        dbconfig.parse(URL), {}, testing=False, web=True
    )

    assert config["CONN_MAX_AGE"] == 60 and config["CONN_HEALTH_CHECKS"]
    assert "pool" not in config["OPTIONS"]
    assert config["OPTIONS"]["options"] == "-c statement_timeout=10000"


def test_a_zero_timeout_sets_none():
    config = dbconfig.connection_settings(
        dbconfig.parse(URL), {"DB_STATEMENT_TIMEOUT_MS": "0"}, testing=False, web=True
    )
    assert "options" not in config["OPTIONS"]


def test_a_replica_url_adds_the_replica_alias():
    found = dbconfig.databases(
        URL,
        {"REPLICA_DATABASE_URL": "postgres://ro@replica.internal/forum"},
        testing=False,
        web=True,
    )

    assert found["replica"]["HOST"] == "replica.internal"
    assert found["default"]["HOST"] == "db.internal"
