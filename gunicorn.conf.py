"""gunicorn's settings for the forum. gunicorn started in the repository root reads
this file by itself (`gunicorn` alone serves the forum); docker-compose.yml and
the benchmark name it with --config. Options on the command line win over it.
"""

import os

import gunicorn.http.wsgi

wsgi_app = "forum.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# WEB_CONCURRENCY is the usual knob; the default suits a machine of its own.
workers = int(os.environ.get("WEB_CONCURRENCY") or 0) or 2 * (os.cpu_count() or 1) + 1
# A worker silent for `timeout` seconds is killed and replaced; on SIGTERM (a
# deploy, `docker compose stop`) workers finish the requests they hold for up
# to `graceful_timeout` seconds. Requests themselves are cut by PostgreSQL's
# statement timeout long before (DB_STATEMENT_TIMEOUT_MS, forum/settings.py).
timeout = 30
graceful_timeout = 20
keepalive = 5
# Logs to stdout: one JSON line per request with its X-Request-ID
# (forum/core/accesslog.py); GUNICORN_ACCESS_LOG="" switches the access log off,
# a path writes it there.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
logger_class = "forum.core.accesslog.JsonAccessLogger"
# The run-time control socket (gunicornc) lives at one path per user, which every
# gunicorn of that user on the machine would share (the tests and the benchmark
# start their own); nothing here uses it.
control_socket_disable = True

# No software name in the Server header. gunicorn has no setting for the header
# (its maintainers suggest an application header, but HTTP/1 responses would then
# carry two); it writes this module's SERVER into every response, HTTP/1 and
# HTTP/2 alike. Blank, the header names nothing. Set here, in the master, before
# any worker is forked.
gunicorn.http.wsgi.SERVER = ""
