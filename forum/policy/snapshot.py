"""The permission table behind the policy questions (forum/policy/rules.py),
loaded once and shared.

Everything a "may this member ...?" question needs that lives in rows — each role's
rights in each node (inheritance resolved), who moderates where, who is banned — is
one small `Snapshot`. It is built with four queries and kept:

- in the shared cache under the current policy version, so every web process
  builds it once per change;
- in this process for LOCAL_SECONDS, so a normal page asks no query at all for it
  (the version is re-read from the shared cache after that).

The rows belong to forum.moderation, which registers the function that reads them
(`register_loader`). Every write that changes one of those rows calls
`bump_version()`: the admin when a permission, moderator or node is saved, the ban
and warning services. A node created since
the snapshot was built is resolved through its parent; when the board has private
nodes or forum moderators, meeting such a node rebuilds the snapshot once.
"""

import threading
import time
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

VERSION_KEY = "forum-policy:version"
SNAPSHOT_SECONDS = 300
LOCAL_SECONDS = 30
EVERYWHERE = "*"


class Perms(NamedTuple):
    view: bool
    start_threads: bool
    reply: bool
    react: bool
    upload: bool


DEFAULTS = {
    "guest": Perms(True, False, False, False, False),
    "unverified": Perms(True, False, False, False, False),
    "member": Perms(True, True, True, True, True),
}


class NodeRef(NamedTuple):
    """A node as the policy sees it, for questions asked without a Node row."""

    pk: int
    parent_id: int | None


class BanInfo(NamedTuple):
    reason: str
    expires_at: object  # datetime | None (permanent)


@dataclass(frozen=True)
class Snapshot:
    version: int
    parents: dict[int, int | None] = field(default_factory=dict)
    # role -> node id -> resolved rights (every node known when built).
    tables: dict[str, dict[int, Perms]] = field(default_factory=dict)
    # user id -> EVERYWHERE or the ids of every node they moderate (subtrees
    # expanded).
    moderators: dict[int, object] = field(default_factory=dict)
    bans: dict[int, BanInfo] = field(default_factory=dict)
    restricted: bool = False  # some node differs from the defaults

    def perms(self, role: str, node) -> Perms:
        table = self.tables.get(role, {})
        found = table.get(node.pk)
        if found is None:
            found = table.get(node.parent_id, DEFAULTS[role])
        return found

    def knows(self, node) -> bool:
        return node.pk in self.parents

    def needs_ancestry(self) -> bool:
        """Whether a node unknown to this snapshot could be private or moderated
        through an ancestor further up than its parent."""
        return self.restricted or any(
            nodes is not EVERYWHERE for nodes in self.moderators.values()
        )

    def moderates(self, user_id: int, node) -> bool:
        nodes = self.moderators.get(user_id)
        if nodes is None:
            return False
        if nodes == EVERYWHERE:
            return True
        if node is None:
            return False
        return node.pk in nodes or node.parent_id in nodes

    def ban_for(self, user_id: int, now=None) -> BanInfo | None:
        ban = self.bans.get(user_id)
        if ban is None:
            return None
        if ban.expires_at is not None and ban.expires_at <= (now or timezone.now()):
            return None
        return ban


# Who builds a snapshot from rows: the app that owns the rows (forum.moderation
# registers it in its AppConfig.ready()). Without one, every node has the defaults,
# nobody moderates and nobody is banned.
_loader = None


def register_loader(loader) -> None:
    """`loader(version) -> Snapshot`, called when no fresh snapshot is held."""
    global _loader
    _loader = loader


def build_snapshot(version: int) -> Snapshot:
    if _loader is None:
        return Snapshot(version=version)
    return _loader(version)


class _Memo:
    def __init__(self):
        self.lock = threading.Lock()
        self.snapshot: Snapshot | None = None
        self.checked = 0.0
        self.loaded = 0.0
        # Moves whenever the snapshot is replaced or dropped: a copy remembered on
        # a user object is only good while it has not moved.
        self.generation = 0
        # Nodes a rebuild did not find (a row in an uncommitted transaction).
        self.unknown: set[int] = set()

    def install(self, snapshot: "Snapshot | None", now: float = 0.0):
        with self.lock:
            self.snapshot = snapshot
            self.checked = self.loaded = now
            self.generation += 1
            self.unknown = set()

    def clear(self):
        self.install(None)


_memo = _Memo()


def _snapshots():
    """Snapshots live beside the guest pages (Redis or local files), not in the
    database cache: filling one on a page view must not write to PostgreSQL. The
    version stays in the shared cache, so a bump reaches every machine at once."""
    from django.core.cache import caches

    return caches["pages"]


def _snapshot_key(version: int) -> str:
    return f"forum-policy:snapshot:{version}"


def current() -> Snapshot:
    """The snapshot for this moment: from this process when fresh, else from the
    shared cache, else built."""
    now = time.monotonic()
    snapshot = _memo.snapshot
    if (
        snapshot is not None
        and now - _memo.checked < LOCAL_SECONDS
        and now - _memo.loaded < SNAPSHOT_SECONDS
    ):
        return snapshot
    version = cache.get(VERSION_KEY, 0)
    if (
        snapshot is not None
        and snapshot.version == version
        and now - _memo.loaded < SNAPSHOT_SECONDS
    ):
        _memo.checked = now
        return snapshot
    fresh = _snapshots().get(_snapshot_key(version))
    if fresh is None:
        fresh = build_snapshot(version)
        _snapshots().set(_snapshot_key(version), fresh, SNAPSHOT_SECONDS)
    _memo.install(fresh, now)
    return fresh


def generation() -> int:
    return _memo.generation


def rebuild_for(node_id: int) -> Snapshot:
    """A node the snapshot does not know (created since): build again, once."""
    snapshot = current()
    if node_id in _memo.unknown or snapshot.knows(NodeRef(node_id, None)):
        return snapshot
    version = cache.get(VERSION_KEY, 0)
    fresh = build_snapshot(version)
    _snapshots().set(_snapshot_key(version), fresh, SNAPSHOT_SECONDS)
    _memo.install(fresh, time.monotonic())
    if not fresh.knows(NodeRef(node_id, None)):
        _memo.unknown.add(node_id)
    return fresh


def _bump() -> None:
    if not cache.add(VERSION_KEY, 1, timeout=None):
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 1, timeout=None)
    _memo.clear()


def bump_version() -> None:
    """Permissions, moderators or bans changed. Bumped now (this process and a
    database cache see it inside the transaction) and again on commit (so another
    process cannot have cached the old rows under the new version)."""
    _bump()
    transaction.on_commit(_bump)


def forget_local() -> None:
    """Drop this process's copy (tests start each case from the shared state)."""
    _memo.clear()
