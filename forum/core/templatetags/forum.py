"""Template helpers shared by every page: times, avatars, numbers, per-viewer parts."""

import re
import threading
from collections import OrderedDict

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from forum.core import perviewer, timefmt

register = template.Library()

AVATAR_DEFAULT_HUE = 210


@register.simple_tag(takes_context=True)
def time_tag(context, value, fmt: str = "date"):
    """A <time> element: the moment in UTC for machines, the viewer's local time
    for people ("relative", "date", "datetime": forum/core/timefmt.py). In a shared
    render, a slot each viewer's request fills."""
    if not value:
        return ""
    style = timefmt.style_for(fmt)
    if context.get("SHARED_RENDER"):
        return mark_safe(perviewer.time_marker(value, style))  # noqa: S308
    return mark_safe(timefmt.element(value, style))  # noqa: S308


_AVATAR_LIMIT = 4096
_avatars: OrderedDict[tuple, str] = OrderedDict()
_avatar_lock = threading.Lock()


@register.simple_tag
def avatar(user, size: int = 96, name: str = ""):
    """A member's avatar (their picture, or their initial on a colour of its own).
    A list page shows the same few dozen members' avatars over and over: each
    distinct one is drawn once per process (the key holds all it shows)."""
    picture = getattr(user, "avatar", "") if user is not None else ""
    username = getattr(user, "username", "") if user is not None else ""
    key = (getattr(user, "pk", None), picture, username, size, name)
    with _avatar_lock:
        html = _avatars.get(key)
        if html is not None:
            _avatars.move_to_end(key)
            return html
    html = mark_safe(  # noqa: S308 - the output of an autoescaping template
        render_to_string("partials/_avatar.html", _avatar_context(user, size, name))
    )
    with _avatar_lock:
        _avatars[key] = html
        while len(_avatars) > _AVATAR_LIMIT:
            _avatars.popitem(last=False)
    return html


def _avatar_context(user, size: int, name: str) -> dict:
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
def grouped(value):
    """12345 -> "12,345": intcomma for whole numbers, without its locale lookups
    (a list page formats a hundred counts)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


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


class _PartNode(template.Node):
    def __init__(self, kind, bits, nodelist):
        self.kind = kind
        self.bits = bits
        self.nodelist = nodelist

    def render(self, context):
        name, arg = ([str(b.resolve(context)) for b in self.bits] + [""])[:2]
        for word in (name, arg):
            if not _PART_WORD.fullmatch(word):
                raise template.TemplateSyntaxError(f"part: {word!r} is not a word")
        if not context.get("SHARED_RENDER"):
            inner = self.nodelist.render(context)
            if self.kind == "part":
                return inner
            # A region every viewer sees, that this viewer may see otherwise:
            # the page's filler decides, as it will on a shared render.
            filler = (context.get("PER_VIEWER_PARTS") or {}).get(name)
            html = filler(arg, inner) if filler else inner
            csrf = perviewer.value_marker("csrf")
            if csrf in html:  # a filler's form: the page's one token, as fill() does
                html = html.replace(csrf, str(context.get("csrf_token", "")))
            return mark_safe(html)  # noqa: S308
        if self.kind == "wrap":
            inner = self.nodelist.render(context)
            opening = perviewer.wrap_open(name, arg)
        else:
            try:
                inner = self.nodelist.render(context)
            except perviewer.UndeclaredPart:
                inner = None  # nobody in particular cannot draw it: no default
            opening = perviewer.part_open(name, arg, inner is not None)
        return mark_safe(opening + (inner or "") + perviewer.part_close())  # noqa: S308


_PART_WORD = re.compile(r"[\w.-]*")


def _part_tag(kind):
    def tag(parser, token):
        bits = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
        if not 1 <= len(bits) <= 2:
            raise template.TemplateSyntaxError(f"{kind} takes a name and an argument")
        nodelist = parser.parse((f"end{kind}",))
        parser.delete_first_token()
        return _PartNode(kind, bits, nodelist)

    return tag


register.tag("part", _part_tag("part"))
register.tag("wrap", _part_tag("wrap"))


class _StateNode(template.Node):
    def __init__(self, bits, var, nodelist):
        self.bits = bits
        self.var = var
        self.nodelist = nodelist

    def _render(self, context, value) -> str:
        with context.push(**{self.var: value}):
            return self.nodelist.render(context)

    def render(self, context):
        name, arg = [str(b.resolve(context)) for b in self.bits]
        for word in (name, arg):
            if not _PART_WORD.fullmatch(word):
                raise template.TemplateSyntaxError(f"state: {word!r} is not a word")
        if not context.get("SHARED_RENDER"):
            filler = (context.get("PER_VIEWER_PARTS") or {}).get(name)
            if filler is None:
                raise template.TemplateSyntaxError(f"state: no filler for {name!r}")
            return self._render(context, bool(filler(arg, None)))
        pieces = [perviewer.state_open(name, arg)]
        for value in (False, True):
            pieces += [perviewer.state_option(value), self._render(context, value)]
        pieces.append(perviewer.part_close())
        return mark_safe("".join(pieces))  # noqa: S308


@register.tag
def state(parser, token):
    """`{% state "unread" thread.pk as unread %}...{% endstate %}`: a region that
    reads one of two ways for a viewer (forum/core/perviewer.py); inside, `unread`
    says which. The page's filler for the name answers it, shared or not."""
    words = token.split_contents()[1:]
    if len(words) != 4 or words[2] != "as":
        raise template.TemplateSyntaxError("state takes: name arg as variable")
    bits = [parser.compile_filter(bit) for bit in words[:2]]
    nodelist = parser.parse(("endstate",))
    parser.delete_first_token()
    return _StateNode(bits, words[3], nodelist)


# `{% part "name" arg %}...{% endpart %}`: a region drawn per viewer (the account
# menu, a post's controls). `{% wrap "name" arg %}...{% endwrap %}`: a region every
# viewer sees, which the page's filler may change for one viewer (a post by a
# member they ignore). Both: forum/core/perviewer.py.
