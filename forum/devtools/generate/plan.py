"""The board to build (BoardSpec) and the plan of it: who posts what, where and
when, worked out in memory before a row is written."""

from __future__ import annotations

import math
import random
import time
from array import array
from dataclasses import dataclass, field

from forum.devtools.generate.corpus import member_names

PASSWORD = "demo"
# Generated members are recognised by their e-mail domain (--wipe removes them).
EMAIL_DOMAIN = "generated.example"

DAY = 86_400.0
HISTORY_YEARS = 6


class BoardNotEmpty(Exception):
    """The database already has forums, threads or posts."""


@dataclass(frozen=True)
class BoardSpec:
    posts: int = 1_000_000
    members: int = 5_000
    forums: int = 20
    threads: int = 20_000
    megathreads: int = 3
    megathread_posts: int = 50_000
    seed: int = 1
    quote_share: float = 0.2  # replies that quote an earlier post
    reacted_share: float = 0.15  # posts with at least one reaction
    deleted_share: float = 0.002  # replies soft-deleted by a moderator
    pool_size: int = 300  # distinct post bodies

    def problems(self) -> list[str]:
        found = []
        if min(self.posts, self.members, self.forums, self.threads) < 1:
            found.append("posts, members, forums and threads must all be at least 1.")
        if self.megathreads < 0 or self.megathread_posts < 1:
            found.append("megathreads must be >= 0 and megathread posts >= 1.")
        if self.megathreads > self.threads:
            found.append("There cannot be more megathreads than threads.")
        mega = self.megathreads * self.megathread_posts
        others = self.threads - self.megathreads
        if mega + others > self.posts:
            found.append(
                f"{self.posts:,} posts are too few: the megathreads take {mega:,} and "
                f"every other thread needs at least one ({others:,})."
            )
        if others == 0 and mega != self.posts:
            found.append("With only megathreads, posts must equal their total.")
        return found


@dataclass
class BoardSummary:
    members: int = 0
    forums: int = 0
    threads: int = 0
    posts: int = 0
    reactions: int = 0
    seconds: float = 0.0
    phases: list[tuple[str, float]] = field(default_factory=list)


class Progress:
    """What the generator reports; the command draws a bar, tests ignore it."""

    def start(self, phase: str, total: int = 0) -> None:
        pass

    def advance(self, done: int) -> None:
        pass

    def finish(self, detail: str = "") -> None:
        pass


@dataclass
class Plan:
    now: float
    forum_of_thread: list[int]
    sizes: list[int]
    offsets: array  # flat index of each thread's first post
    times: array  # flat: every post's time, thread by thread, in position order
    authors: array  # flat: member index of every post
    bodies: array  # flat: pool index of every post's own text
    order: list[int]  # flat indices in time order: the order ids are handed out
    member_names: list[str]
    joined: list[float]
    first_post: array
    last_post: array


def apportion(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder), each >= 1
    when total allows."""
    floor_each = 1 if total >= len(weights) else 0
    spare = total - floor_each * len(weights)
    scale = sum(weights)
    shares = [spare * w / scale for w in weights]
    counts = [floor_each + int(s) for s in shares]
    left = total - sum(counts)
    by_remainder = sorted(range(len(weights)), key=lambda i: int(shares[i]) - shares[i])
    for i in by_remainder[:left]:
        counts[i] += 1
    return counts


def _forum_thread_counts(spec: BoardSpec) -> list[int]:
    """The first forum holds most threads, the last only a handful, the rest fall
    off like a real board's."""
    if spec.forums == 1:
        return [spec.threads]
    small = max(1, min(10, spec.threads // (2 * spec.forums)))
    weights = [9.0] + [1.0 / k**0.7 for k in range(1, spec.forums - 1)]
    return apportion(spec.threads - small, weights) + [small]


def _thread_sizes(spec: BoardSpec, rng: random.Random) -> list[int]:
    mega = [spec.megathread_posts] * spec.megathreads
    others = spec.threads - spec.megathreads
    if others == 0:
        return mega
    rest = spec.posts - sum(mega)
    # Most threads get a few replies, a few get hundreds.
    weights = [rng.lognormvariate(0.0, 1.4) for _ in range(others)]
    return mega + apportion(rest, weights)


def make_plan(spec: BoardSpec, rng: random.Random, taken_names: set[str]) -> Plan:
    now = float(int(time.time()))
    start = now - HISTORY_YEARS * 365 * DAY
    sizes = _thread_sizes(spec, rng)

    counts = _forum_thread_counts(spec)
    forum_of_thread = []
    # Megathreads live in the busiest forums, never in the small one.
    roomy = sorted(range(len(counts) - (len(counts) > 1)), key=lambda f: -counts[f])
    for j in range(spec.megathreads):
        forum = next(
            (f for f in roomy[j % len(roomy) :] + roomy if counts[f] > 0), roomy[0]
        )
        counts[forum] -= 1
        forum_of_thread.append(forum)
    rest = [f for f, n in enumerate(counts) for _ in range(max(n, 0))]
    rng.shuffle(rest)
    forum_of_thread += rest[: spec.threads - spec.megathreads]

    # A few members write most posts (power law); a third only ever read.
    order = list(range(spec.members))
    rng.shuffle(order)
    posters = order[: max(1, math.ceil(spec.members * 2 / 3))]
    cumulative, total = [], 0.0
    for rank in range(len(posters)):
        total += 1.0 / (rank + 1) ** 0.8
        cumulative.append(total)

    offsets = array("q")
    times = array("d")
    authors = array("i")
    flat = 0
    for index, n in enumerate(sizes):
        offsets.append(flat)
        flat += n
        if index < spec.megathreads:
            length = (now - start) * rng.uniform(0.85, 0.97)
            begin = start + (now - start - length) * rng.random()
        else:
            length = rng.expovariate(1 / (3 * DAY)) * (1 + n / 15) + n * 60
            length = min(length, (now - start) * 0.9)
            # More threads recently than years ago: the board grew.
            begin = start + (now - start - length - 60) * math.sqrt(rng.random())
        moments = sorted(rng.random() for _ in range(n - 1))
        previous = begin
        times.append(begin)
        for fraction in moments:
            previous = max(begin + length * fraction, previous + 1.0)
            times.append(previous)
        authors.extend(
            posters[i]
            for i in rng.choices(range(len(posters)), cum_weights=cumulative, k=n)
        )

    bodies = array("H", (rng.randrange(spec.pool_size) for _ in range(flat)))
    flat_order = sorted(range(flat), key=times.__getitem__)

    first_post = array("d", [math.inf]) * spec.members
    last_post = array("d", [0.0]) * spec.members
    for i in range(flat):
        member, moment = authors[i], times[i]
        if moment < first_post[member]:
            first_post[member] = moment
        if moment > last_post[member]:
            last_post[member] = moment
    joined = []
    for member in range(spec.members):
        if first_post[member] == math.inf:  # a reader: joined any time
            joined.append(start + (now - start - DAY) * rng.random())
        else:
            joined.append(first_post[member] - rng.uniform(0, 400) * DAY)

    return Plan(
        now=now,
        forum_of_thread=forum_of_thread,
        sizes=sizes,
        offsets=offsets,
        times=times,
        authors=authors,
        bodies=bodies,
        order=flat_order,
        member_names=member_names(spec.members, rng, taken_names),
        joined=joined,
        first_post=first_post,
        last_post=last_post,
    )
