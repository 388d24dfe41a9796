"""Production settings refuse unsafe configurations."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "x9" * 32 + "-production-secret-used-only-in-this-test"


def run_manage(*args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "DATABASE_URL",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests in-process
        }
    }
    # An external database URL: settings must not start the embedded server, and
    # these commands never connect.
    base.update(DATABASE_URL="postgres://forum@127.0.0.1:9/forum", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_secret_key():
    from django.conf import settings

    result = run_manage("check", DEBUG="0", SECRET_KEY=settings.DEV_SECRET_KEY)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_deploy_check_is_clean_under_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="forum.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_is_clean_with_the_production_stacks_settings():
    """The variables docker-compose.yml sets (Redis, a pool, a replica, object
    storage, Sentry), behind a TLS proxy."""
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="forum.example.org",
        CSRF_TRUSTED_ORIGINS="https://forum.example.org",
        REDIS_URL="redis://127.0.0.1:9/0",
        DB_POOL="1",
        REPLICA_DATABASE_URL="postgres://forum@127.0.0.1:9/forum",
        MEDIA_S3_BUCKET="forum-media",
        MEDIA_S3_ENDPOINT_URL="https://s3.example.org",
        SENTRY_DSN="https://key@127.0.0.1:9/1",
        TRUSTED_PROXY_COUNT="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
