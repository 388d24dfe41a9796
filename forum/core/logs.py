"""Logs: one JSON object a line on stdout, each carrying the request's id.

Every request gets an id (`RequestIdMiddleware`, the outermost middleware): the
X-Request-ID a proxy in front sent, when it looks like one, else a fresh one. It
goes back in the response's X-Request-ID header, into gunicorn's access log
line for the request (forum/core/accesslog.py) and into every log record made
while the request runs (`RequestIdFilter`), so one id finds everything that
happened for one page view, on whichever node served it.

LOG_FORMAT=text gives plain lines on stderr (the default under DEBUG);
LOG_LEVEL sets the level. With SENTRY_DSN set, errors also go to Sentry (`init_sentry`),
tagged with the same id.
"""

import contextvars
import json
import logging
import re
import time
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)
_ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{8,128}")


def current_request_id() -> str:
    """The id of the request this thread is serving; "-" outside one."""
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _ACCEPTED.fullmatch(offered) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (a handler's filter in LOGGING)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            # Django logs a request's error status after the middleware has
            # returned; the record then carries the request itself.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or (
                _request_id.get()
            )
        return True


# Attributes every LogRecord has; anything else was passed as extra=... and is
# written out as a field of its own.
# (Django's `request` is left out: its id is the request_id field.)
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = (
                    value if isinstance(value, int | float | bool) else str(value)
                )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def logging_config(*, json_lines: bool, level: str) -> dict:
    """settings.LOGGING: JSON lines on stdout (production: what containers and
    journald collect), or plain text on stderr (development, as before)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "forum.core.logs.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "forum.core.logs.JsonFormatter"},
            "text": {
                "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] "
                "%(message)s"
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout" if json_lines else "ext://sys.stderr",
                "filters": ["request_id"],
                "formatter": "json" if json_lines else "text",
            }
        },
        "root": {"handlers": ["console"], "level": level},
    }


def _tag_request(event, hint):
    request_id = _request_id.get()
    if request_id != "-":
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def init_sentry(dsn: str, *, environment: str, release: str, traces: float) -> None:
    """Send errors (and a share of traces) to Sentry; no personal data."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        environment=environment or None,
        release=release or None,
        traces_sample_rate=traces,
        send_default_pii=False,
        before_send=_tag_request,
    )
