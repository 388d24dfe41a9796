"""Template helpers shared by every page: times, avatars, numbers."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def time_tag(value, fmt: str = "M j, Y"):
    """A <time> element with a machine-readable datetime and a readable label."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    now = timezone.localtime()
    if fmt == "relative":
        delta = now - local
        if delta.total_seconds() < 60:
            label = "A moment ago"
        elif delta.total_seconds() < 3600:
            minutes = int(delta.total_seconds() // 60)
            label = f"{minutes} minute{'s' if minutes != 1 else ''} ago"
        elif local.date() == now.date():
            label = f"Today at {date_format(local, 'g:i A')}"
        elif (now.date() - local.date()).days == 1:
            label = f"Yesterday at {date_format(local, 'g:i A')}"
        else:
            label = date_format(local, "M j, Y")
    else:
        label = date_format(local, fmt)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(),
        date_format(local, "M j, Y \\a\\t g:i A"),
        label,
    )


@register.inclusion_tag("partials/_avatar.html")
def avatar(user, size: int = 96, name: str = ""):
    src = ""
    if user is not None and getattr(user, "avatar", ""):
        # The smallest stored rendition that is at least as large as shown.
        stored = next((s for s in (48, 96, 192) if s >= size), 192)
        src = user.avatar_url(stored)
    return {
        "member": user,
        "size": size,
        "src": src,
        "name": name or getattr(user, "username", ""),
    }


@register.filter
def compact_number(value):
    """1,234 -> 1.2K on narrow list columns (the full number is in a title)."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return value
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M".replace(".0M", "M")
    if n >= 10_000:
        return f"{n / 1000:.0f}K"
    if n >= 1000:
        return f"{n / 1000:.1f}K".replace(".0K", "K")
    return str(n)
