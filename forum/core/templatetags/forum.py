"""Template helpers shared by every page: times, avatars, numbers, holes."""

import re

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

AVATAR_DEFAULT_HUE = 210


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
    # Letter avatars take their colour from a class per 10 degrees of hue
    # (forum.css): the Content Security Policy allows no inline style.
    hue = getattr(user, "avatar_hue", AVATAR_DEFAULT_HUE)
    return {
        "member": user,
        "size": size,
        "src": src,
        "name": name or getattr(user, "username", ""),
        "hue": round(hue / 10) % 36 * 10,
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


class _HoleNode(template.Node):
    def __init__(self, bits, nodelist):
        self.bits = bits
        self.nodelist = nodelist

    def render(self, context):
        inner = self.nodelist.render(context)
        if not context.get("SHARED_RENDER"):
            return inner
        from forum.core.pagecache import hole_close, hole_open

        name, arg, shape = ([str(b.resolve(context)) for b in self.bits] + ["", ""])[:3]
        for part in (name, arg, shape):
            if not _HOLE_WORD.fullmatch(part):
                raise template.TemplateSyntaxError(f"hole: {part!r} is not a word")
        return mark_safe(hole_open(name, arg, shape) + inner + hole_close())  # noqa: S308


_HOLE_WORD = re.compile(r"[\w.-]*")


@register.tag
def hole(parser, token):
    """`{% hole "post" post.pk shape %}...{% endhole %}`: a part of the page that
    differs per viewer. Rendered as is, except in a shared render
    (forum.core.pagecache.member_render), where it is marked so that each viewer's
    request fills it (forum.core.pagecache.fill)."""
    bits = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    if not 1 <= len(bits) <= 3:
        raise template.TemplateSyntaxError("hole takes a name, an argument, a shape")
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    return _HoleNode(bits, nodelist)
