"""@mentions: "@Saleem" or '@"Desert Hawk"' in a post becomes
[USER=12]Desert Hawk[/USER] when it is stored, so the link follows the member
through renames; it renders as a link to their profile.

Only the writer's own text is read: nothing inside [CODE], [ICODE], [QUOTE],
links, pictures or an existing [USER] tag. A name no member has stays as typed.
A post names at most FORUM_MAX_MENTIONS members (10), a new member's
FORUM_MAX_MENTIONS_NEW_MEMBER (3); the names beyond stay as typed and alert
nobody. Who is alerted, and who is not (a member who ignores the writer, or
cannot see the forum), is the fan-out's (forum/notifications/fanout.py).
"""

import html
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

from forum.core.markup import Placeholder, Problem, extract_tag_values, register_tag

TAG = "user"
_ID = re.compile(r"\d{1,18}")
_LINK = re.compile(r"/members/\d{1,18}/")
# Regions whose text is not the writer's own words (or not words at all).
_SKIPPED = "code|icode|quote|url|email|img|media|user"
_REGION = re.compile(rf"\[(/?)({_SKIPPED})(?:=[^\]\n]*)?\]", re.IGNORECASE)
# "@Saleem", '@"Desert Hawk"'; not inside a word or an address (a@b.c).
_MENTION = re.compile(r'(?<![\w@/.])@(?:"([^"\[\]\n]{1,50})"|(\w[\w.\-]{0,49}))')


def user_tag(option: str | None, content: str) -> Placeholder | Problem:
    """[USER=id]name[/USER] -> a link to the member's profile, "@name"."""
    name = content.strip().removeprefix("@")
    if option is None or not _ID.fullmatch(option) or not name:
        return Problem(
            "The [user] tag needs a member id and a name: [USER=3]name[/USER]."
        )
    member = int(option)
    return Placeholder(
        f'<a href="/members/{member}/" class="mention" data-user-id="{member}">'
        f"@{html.escape(name[:50], quote=False)}</a>"
    )


def register_user_tag() -> None:
    register_tag(
        TAG,
        user_tag,
        classes={"mention"},
        attributes={
            "a": {
                "href": lambda v: bool(_LINK.fullmatch(v)),
                "data-user-id": lambda v: bool(_ID.fullmatch(v)),
            }
        },
        block=False,
        content=True,
    )


def mentioned_ids(body: str, known=()) -> list[int]:
    """The members a post's own text mentions (not those inside its quotes),
    less those in `known` (already mentioned before an edit)."""
    ids = [int(v) for v in extract_tag_values(body, TAG, outside_quotes=True)]
    return [pk for pk in dict.fromkeys(ids) if pk not in set(known)]


def mention_limit(author) -> int:
    new = getattr(author, "message_count", 0) < settings.FORUM_NEW_MEMBER_POSTS
    if new:
        return getattr(settings, "FORUM_MAX_MENTIONS_NEW_MEMBER", 3)
    return getattr(settings, "FORUM_MAX_MENTIONS", 10)


def _own_text(body: str) -> list[tuple[int, int]]:
    """(start, end) of the stretches of `body` outside the skipped regions."""
    spans, depth, start = [], {}, 0
    for match in _REGION.finditer(body):
        closing, name = bool(match[1]), match[2].lower()
        outside = not any(depth.values())
        if closing:
            if depth.get(name):
                depth[name] -= 1
                if not any(depth.values()):
                    start = match.end()
            continue
        if outside:
            spans.append((start, match.start()))
        depth[name] = depth.get(name, 0) + 1
    if not any(depth.values()):
        spans.append((start, len(body)))
    return spans


def rewrite_mentions(body: str, *, author) -> str:
    """The body with its @mentions of members as [USER] tags (see the module
    docstring). One query, only when the text holds an "@"."""
    if "@" not in body:
        return body
    found = []  # (start, end, name)
    for start, end in _own_text(body):
        for match in _MENTION.finditer(body, start, end):
            name = match[1] if match[1] is not None else match[2].rstrip(".-")
            if match[1] is None:
                end_at = match.start(2) + len(name)
            else:
                end_at = match.end()
            found.append((match.start(), end_at, name.strip()))
    if not found:
        return body
    members = _members_named({name.lower() for _, _, name in found})
    allowed = mention_limit(author) - len(
        set(extract_tag_values(body, TAG, outside_quotes=True))
    )
    chosen: dict[int, None] = {}
    out, at = [], 0
    for start, end, name in found:
        member = members.get(name.lower())
        if member is None:
            continue
        if member.pk not in chosen:
            if len(chosen) >= allowed:
                continue  # over the limit: left as typed, alerting nobody
            chosen[member.pk] = None
        out.append(body[at:start])
        out.append(f"[USER={member.pk}]{member.username}[/USER]")
        at = end
    out.append(body[at:])
    return "".join(out)


def _members_named(names: set[str]) -> dict:
    User = get_user_model()
    rows = (
        User.objects.annotate(name=Lower("username"))
        .filter(name__in=names, is_active=True, is_deleted_member=False)
        .only("pk", "username")
    )
    return {member.username.lower(): member for member in rows}
