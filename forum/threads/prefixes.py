"""Thread prefixes ("Analysis", "Breaking"): which a member may pick in a forum,
and the labels every list draws before a title.

Prefixes are few and change in the admin only, so each process keeps them all,
read again when the "prefixes" version moves (the admin bumps it, with "site":
every page that draws one is made afresh). Drawing a prefix costs no query.
"""

import threading
from dataclasses import dataclass

from forum.core import versions
from forum.policy import can_moderate

_lock = threading.Lock()
_held: dict = {}


@dataclass(frozen=True)
class PrefixInfo:
    pk: int
    label: str
    colour: str
    group: str
    description: str
    usage_help: str
    moderators_only: bool
    forum_ids: frozenset


def _load() -> dict[int, PrefixInfo]:
    from forum.threads.models import Prefix

    found = {}
    rows = Prefix.objects.select_related("group").prefetch_related("forums")
    rows = rows.order_by("group__display_order", "group_id", "display_order", "id")
    for row in rows:
        found[row.pk] = PrefixInfo(
            pk=row.pk,
            label=row.label,
            colour=row.colour,
            group=row.group.title if row.group_id else "",
            description=row.description,
            usage_help=row.usage_help,
            moderators_only=row.usable_by == Prefix.UsableBy.MODERATORS,
            forum_ids=frozenset(f.pk for f in row.forums.all()),
        )
    return found


def all_prefixes(request=None) -> dict[int, PrefixInfo]:
    """Every prefix by id, in the order they are offered (group, then order)."""
    names = ["prefixes"]
    version = (
        versions.for_request(request, names) if request else versions.current(names)
    )
    with _lock:
        if _held.get("version") == version:
            return _held["prefixes"]
    found = _load()
    with _lock:
        _held.update(version=version, prefixes=found)
    return found


def forget_local() -> None:
    with _lock:
        _held.clear()


def changed() -> None:
    """After an administrator changes a prefix: every process reads them again,
    and every page that shows one is made afresh."""
    from forum.core.pagecache import invalidate

    invalidate("prefixes", "site")


def in_forum(node, request=None) -> list[PrefixInfo]:
    """The prefixes of a forum (what its page filters by)."""
    return [p for p in all_prefixes(request).values() if node.pk in p.forum_ids]


def usable(user, node, request=None) -> list[PrefixInfo]:
    """The prefixes this member may give a thread in this forum."""
    moderator = can_moderate(user, node)
    return [p for p in in_forum(node, request) if moderator or not p.moderators_only]


def label_for(prefix_id, request=None) -> PrefixInfo | None:
    if not prefix_id:
        return None
    return all_prefixes(request).get(prefix_id)
