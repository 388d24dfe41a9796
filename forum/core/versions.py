"""Version counters: what makes a cached page stale.

Every cached or shared page is stored under a key that holds the versions of what
it shows ("site", "thread:12", "node:3", "member:7"). A write bumps the versions of
what it changed once its transaction commits (`bump_on_commit`), so the next
request computes a new key and renders afresh: a stale page is never served, and
nothing has to find and delete old entries (they expire).

Versions must never go backwards or get lost, or a page a moderator just cleaned
comes back. So they do not live in a cache that evicts:

- with REDIS_URL (several machines): Redis INCR and MGET, keys without expiry
  (run Redis with a maxmemory-policy that evicts only keys with an expiry, such
  as volatile-lru, or noeviction: every page entry has one);
- otherwise (one machine, any number of processes): a folder of small files, one
  per name; a bump appends one byte (O_APPEND writes are atomic between
  processes) and a version is the file's size, read with one stat(). Nothing culls
  it. The folder's inode number is part of every version string, so a folder that
  is deleted and made again can never bring back a page stored before.

A read costs no database query: a guest's cached page is served without touching
PostgreSQL.
"""

import os
import re
from pathlib import Path

from django.conf import settings
from django.db import transaction

_NAME = re.compile(r"[a-z][a-z0-9_-]*(?::[A-Za-z0-9_-]+)?")


def _redis():
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["pages"]
    return backend if isinstance(backend, RedisCache) else None


def _root() -> Path:
    return Path(settings.FORUM_VERSIONS_DIR)


def _path(root: Path, name: str) -> Path:
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a version name: {name!r}")
    kind, _, key = name.partition(":")
    return root / kind / (key or "_")


def _redis_key(name: str) -> str:
    return f"v:{name}"


def bump(*names: str) -> None:
    """Move each named version forward, now."""
    redis = _redis()
    if redis is not None:
        client = redis._cache.get_client(write=True)
        pipe = client.pipeline()
        for name in names:
            pipe.incr(redis.make_key(_redis_key(name)))
        pipe.execute()
        return
    root = _root()
    for name in names:
        path = _path(root, name)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, b".")
        finally:
            os.close(fd)


def bump_on_commit(*names: str) -> None:
    """Bump once the current transaction commits (at once outside one): a
    request that renders between the write and its commit must not store the
    old state under the new versions."""
    transaction.on_commit(lambda: bump(*names))


def current(names) -> str:
    """The versions of the named things, as one string for a cache key."""
    names = list(names)
    redis = _redis()
    if redis is not None:
        client = redis._cache.get_client(write=False)
        values = client.mget([redis.make_key(_redis_key(n)) for n in names])
        return "r" + ",".join((v or b"0").decode() for v in values)
    root = _root()
    try:
        epoch = os.stat(root).st_ino
    except FileNotFoundError:
        root.mkdir(parents=True, exist_ok=True)
        epoch = os.stat(root).st_ino
    sizes = []
    for name in names:
        try:
            sizes.append(os.stat(_path(root, name)).st_size)
        except FileNotFoundError:
            sizes.append(0)
    return f"{epoch}." + ",".join(map(str, sizes))


def for_request(request, names) -> str:
    """`current(names)`, read once per request (a page asks several times)."""
    memo = request.__dict__.setdefault("_forum_versions", {})
    wanted = tuple(names)
    if wanted not in memo:
        memo[wanted] = current(wanted)
    return memo[wanted]
