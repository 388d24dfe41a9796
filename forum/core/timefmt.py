"""Times as members read them: in their own time zone, relative when recent.

Every time on a page is a `<time>` element whose `datetime` is the moment in UTC
(machine-readable, the same for everyone) and whose text and title are in the
viewer's time zone: the zone a member chose on their account page (the one their
browser reported when they signed up, until they change it), else the board's
default (settings.TIME_ZONE). `forum.core.middleware.ViewerTimeZoneMiddleware`
activates it for the request.

Styles:
- "relative": "A moment ago", "5 minutes ago", "Today at 14:02", "Yesterday at
  14:02", "Monday at 14:02" within the week, then "Mar 5, 2024";
- "date": "Mar 5, 2024"; "datetime": "Mar 5, 2024 at 14:02";
- "day": "Today", "Yesterday", then the date (when a member was last seen:
  nobody is tracked to the minute).

The text depends on the viewer (zone) and on the moment the page is read
(relative): a shared render keeps a placeholder per time and each request writes
the text for its viewer (forum.core.perviewer), through `label` below, so a
shared page says what a page rendered for the viewer alone would say.
"""

import threading
import zoneinfo
from collections import OrderedDict
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape

STYLES = ("relative", "date", "datetime", "day")
# The format strings time_tag accepted before it took style names.
_LEGACY = {"M j, Y": "date", "M j, Y g:i A": "datetime"}

_memo: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()
_MEMO_LIMIT = 8192


def now() -> datetime:
    """The moment a page is read (a seam: tests hold it still)."""
    return timezone.now()


def style_for(fmt: str) -> str:
    return _LEGACY.get(fmt, fmt if fmt in STYLES else "date")


def iso_utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


def valid_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _relative(local: datetime, here: datetime) -> str:
    seconds = (here - local).total_seconds()
    if seconds < 60:
        return "A moment ago"
    if seconds < 3600:
        minutes = int(seconds // 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    days = (here.date() - local.date()).days
    clock = date_format(local, "H:i")
    if days == 0:
        return f"Today at {clock}"
    if days == 1:
        return f"Yesterday at {clock}"
    if 1 < days < 7:
        return f"{date_format(local, 'l')} at {clock}"
    return date_format(local, "M j, Y")


def _render(value: datetime, style: str, zone, at: datetime) -> str:
    local = value.astimezone(zone)
    if style == "relative":
        text = _relative(local, at.astimezone(zone))
    elif style == "datetime":
        text = date_format(local, "M j, Y \\a\\t H:i")
    elif style == "day":
        days = (at.astimezone(zone).date() - local.date()).days
        text = {0: "Today", 1: "Yesterday"}.get(max(days, 0), "")
        text = text or date_format(local, "M j, Y")
    else:
        text = date_format(local, "M j, Y")
    if style == "day":  # the day only, even for machines
        machine, title = local.date().isoformat(), date_format(local, "M j, Y")
    else:
        machine, title = iso_utc(value), date_format(local, "M j, Y \\a\\t H:i")
    return f'<time datetime="{machine}" title="{escape(title)}">{escape(text)}</time>'


def element(value: datetime, style: str, zone=None, at: datetime | None = None) -> str:
    """The `<time>` element for `value` as the viewer in `zone` (default: the
    active zone) reads it at `at` (default: now). Remembered per minute: a page
    shows the same few dozen times to many viewers."""
    zone = zone or timezone.get_current_timezone()
    at = at or now()
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    # What the text depends on besides the moment and the zone: for a relative
    # label, the minutes since (within the hour) or the reader's day.
    bucket = None
    if style == "relative":
        since = at.timestamp() - value.timestamp()
        bucket = int(since // 60) if since < 3600 else at.astimezone(zone).date()
    elif style == "day":
        bucket = at.astimezone(zone).date()
    key = (value.timestamp(), style, str(zone), bucket)
    with _lock:
        found = _memo.get(key)
        if found is not None:
            _memo.move_to_end(key)
            return found
    html = _render(value, style, zone, at)
    with _lock:
        _memo[key] = html
        while len(_memo) > _MEMO_LIMIT:
            _memo.popitem(last=False)
    return html
