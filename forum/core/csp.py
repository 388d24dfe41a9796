"""Where browsers report Content Security Policy violations (the report-uri of the
policy in forum/settings.py).

Each report becomes one warning in the "forum.csp" log, so a page that breaks the
policy (an inline style someone added, a new outside source) shows up in the logs
before members notice. Reports come from anyone's browser, so they are read with
care: a small body only, one line per report with its fields cut short, and at
most FORUM_RATE_LIMITS["csp_report"] per address, so one visitor cannot fill the
logs. The answer is always 204: a browser does nothing with it.
"""

import json
import logging

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from forum.core import ratelimit

logger = logging.getLogger("forum.csp")

MAX_REPORT_BYTES = 8 * 1024
_FIELD_LENGTH = 200
# What says where and why; the rest of a report (the policy itself, status
# codes, referrer) is the same for every report or says nothing new.
_FIELDS = (
    ("document-uri", "page"),
    ("effective-directive", "directive"),
    ("blocked-uri", "blocked"),
    ("source-file", "source"),
    ("line-number", "line"),
    ("disposition", "disposition"),
)


def _clean(value) -> str:
    # One line, printable, short: the text is the reporter's, not ours.
    text = " ".join(str(value).split())
    text = "".join(ch for ch in text if ch.isprintable())
    return text[:_FIELD_LENGTH]


def _parse(body: bytes) -> dict | None:
    """The "csp-report" object of a report-uri report, or None."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return None
    report = data.get("csp-report") if isinstance(data, dict) else None
    return report if isinstance(report, dict) else None


def describe(report: dict) -> str:
    """One log line for a report: its known fields, cleaned and cut short."""
    parts = [
        f"{label}={_clean(report[key])}"
        for key, label in _FIELDS
        if report.get(key) not in (None, "")
    ]
    return " ".join(parts) or "(no details)"


@csrf_exempt  # browsers send reports without a token, and a report changes nothing
@require_POST
def report_view(request):
    found = ratelimit.hit("csp_report", key=ratelimit.who(request))
    if found is not None and found[0] > found[1]:
        return HttpResponse(status=204)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if 0 < length <= MAX_REPORT_BYTES:
        report = _parse(request.read(MAX_REPORT_BYTES))
        if report is not None:
            logger.warning("Content Security Policy violation: %s", describe(report))
    return HttpResponse(status=204)
