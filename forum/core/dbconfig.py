"""settings.DATABASES from the environment (read by forum/settings.py).

- DATABASE_URL (or the embedded server): the primary, "default".
- REPLICA_DATABASE_URL: a read replica, "replica". Only reads that may be a
  little stale go there (forum/core/replica.py); under the tests the alias is a
  mirror of the test database.
- Connections: persistent per process (DB_CONN_MAX_AGE seconds, 60) by default;
  DB_POOL=1 uses Django's psycopg pool instead (DB_POOL_MIN_SIZE, 1;
  DB_POOL_MAX_SIZE, 4; DB_POOL_TIMEOUT seconds to wait for a free connection,
  10). A pool pays off with threaded or async workers and with a PostgreSQL that
  is slow to connect to (TLS, a remote host); gunicorn's sync workers serve one
  request at a time, so each needs one connection and persistent connections do
  as well. It works with the embedded server too (a Unix socket), but is off
  there: nothing is gained.
- Web requests (processes started through forum/wsgi.py) get a statement
  timeout, DB_STATEMENT_TIMEOUT_MS (10,000; 0 switches it off): one runaway
  query cannot hold a worker and a connection for ever. It is set as a startup
  option of the connection, so it costs no query. Management commands and the
  worker have none (migrations, recounts and batches may run long).
"""

from collections.abc import Mapping

import dj_database_url


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    value = environ.get(name)
    return int(value) if value else default


def parse(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=0)
    # The embedded server listens on a Unix socket given as ?host=/path.
    socket_dir = config.get("OPTIONS", {}).pop("host", None)
    if socket_dir and not config.get("HOST"):
        config["HOST"] = socket_dir
    return config


def connection_settings(
    config: dict, environ: Mapping[str, str], *, testing: bool, web: bool
) -> dict:
    """`config` with the process's connection handling and timeouts."""
    config = {**config, "OPTIONS": dict(config.get("OPTIONS", {}))}
    if testing:
        return config
    if (environ.get("DB_POOL") or "").strip().lower() in {"1", "true", "yes", "on"}:
        config["CONN_MAX_AGE"] = 0  # the pool keeps the connections
        config["OPTIONS"]["pool"] = {
            "min_size": _int(environ, "DB_POOL_MIN_SIZE", 1),
            "max_size": _int(environ, "DB_POOL_MAX_SIZE", 4),
            "timeout": _int(environ, "DB_POOL_TIMEOUT", 10),
        }
    else:
        config["CONN_MAX_AGE"] = _int(environ, "DB_CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
    timeout = _int(environ, "DB_STATEMENT_TIMEOUT_MS", 10_000)
    if web and timeout > 0:
        options = config["OPTIONS"].get("options", "")
        config["OPTIONS"]["options"] = f"{options} -c statement_timeout={timeout}"
        config["OPTIONS"]["options"] = config["OPTIONS"]["options"].strip()
    return config


def databases(
    primary_url: str, environ: Mapping[str, str], *, testing: bool, web: bool
) -> dict:
    primary = connection_settings(parse(primary_url), environ, testing=testing, web=web)
    found = {"default": primary}
    replica_url = environ.get("REPLICA_DATABASE_URL")
    if replica_url:
        found["replica"] = connection_settings(
            parse(replica_url), environ, testing=testing, web=web
        )
    if testing:
        # The router's tests send reads to the replica alias, which is the
        # test database itself seen through a second connection.
        found["replica"] = {**primary, "TEST": {"MIRROR": "default"}}
    return found
