"""Writes to polls: create one, vote, close. Every one bumps the thread page's
version on commit (the poll is on it)."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from forum.core import ratelimit
from forum.core.pagecache import invalidate
from forum.policy import can_manage_poll, can_vote
from forum.posts.polls.models import Poll, PollOption, PollVote
from forum.threads.models import Thread

MIN_OPTIONS, MAX_OPTIONS = 2, 20


class PollRefused(Exception):
    """str() is the message for the member."""


@dataclass(frozen=True)
class PollSpec:
    question: str
    options: list[str]
    max_choices: int = 1
    closes_at: object = None
    results: str = Poll.Results.ALWAYS
    public_voters: bool = False
    allow_change: bool = False


def _check(spec: PollSpec) -> list[str]:
    options = [" ".join(o.split()) for o in spec.options if o.strip()]
    options = list(dict.fromkeys(options))
    if not spec.question.strip():
        raise PollRefused("Please enter the poll's question.")
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise PollRefused(
            f"A poll needs {MIN_OPTIONS} to {MAX_OPTIONS} different options; "
            f"this one has {len(options)}."
        )
    if not 1 <= spec.max_choices <= len(options):
        raise PollRefused(
            f"Voters may pick 1 to {len(options)} options, not {spec.max_choices}."
        )
    if spec.closes_at is not None and spec.closes_at <= timezone.now():
        raise PollRefused("The close date must be in the future.")
    return options


def add_poll(*, thread: Thread, spec: PollSpec, by) -> Poll:
    """Inside the transaction that starts the thread (or on its own, below)."""
    options = _check(spec)
    poll = Poll.objects.create(
        thread=thread,
        question=" ".join(spec.question.split())[:200],
        max_choices=spec.max_choices,
        closes_at=spec.closes_at,
        results=spec.results,
        public_voters=spec.public_voters,
        allow_change=spec.allow_change,
        created_by=by,
    )
    PollOption.objects.bulk_create(
        PollOption(poll=poll, text=text[:150], position=i)
        for i, text in enumerate(options)
    )
    Thread.objects.filter(pk=thread.pk).update(has_poll=True)
    thread.has_poll = True
    invalidate(f"thread:{thread.pk}")
    return poll


@transaction.atomic
def create_poll(*, actor, thread: Thread, spec: PollSpec) -> Poll:
    """A poll added later, by the thread's starter or a moderator."""
    if not can_manage_poll(actor, thread):
        raise PollRefused("You may not add a poll to this thread.")
    if Poll.objects.filter(thread=thread).exists():
        raise PollRefused("This thread already has a poll.")
    return add_poll(thread=thread, spec=spec, by=actor)


@transaction.atomic
def vote(*, voter, poll: Poll, option_ids: list[int], enforce_limits=True) -> None:
    """Record the member's choice. Under the poll's row lock, so the counts
    stay exact however many vote at once; changing a vote (where allowed)
    moves the counts from the old options to the new."""
    locked = (
        Poll.objects.select_for_update().select_related("thread__node").get(pk=poll.pk)
    )
    if not can_vote(voter, locked.thread, locked):
        raise PollRefused(
            "This poll is closed." if locked.is_closed() else "You may not vote here."
        )
    if enforce_limits:
        try:
            ratelimit.check("vote", key=f"u{voter.pk}", noun="votes")
        except ratelimit.RateLimited as refusal:
            raise PollRefused(str(refusal)) from None
    valid = set(locked.options.values_list("pk", flat=True))
    chosen = sorted({int(pk) for pk in option_ids} & valid)
    if not chosen:
        raise PollRefused("Please choose an option.")
    if len(chosen) > locked.max_choices:
        raise PollRefused(f"You may choose at most {locked.max_choices} options.")
    before = list(
        PollVote.objects.filter(poll=locked, voter=voter).values_list(
            "option_id", flat=True
        )
    )
    if before and not locked.allow_change:
        raise PollRefused("You have already voted; this poll's votes cannot change.")
    if before:
        PollVote.objects.filter(poll=locked, voter=voter).delete()
        PollOption.objects.filter(pk__in=before).update(vote_count=F("vote_count") - 1)
    PollVote.objects.bulk_create(
        PollVote(poll=locked, option_id=pk, voter=voter) for pk in chosen
    )
    PollOption.objects.filter(pk__in=chosen).update(vote_count=F("vote_count") + 1)
    if not before:
        Poll.objects.filter(pk=locked.pk).update(voter_count=F("voter_count") + 1)
    invalidate(f"thread:{locked.thread_id}")


@transaction.atomic
def close_poll(*, actor, poll: Poll) -> None:
    locked = (
        Poll.objects.select_for_update().select_related("thread__node").get(pk=poll.pk)
    )
    if not can_manage_poll(actor, locked.thread):
        raise PollRefused("You may not close this poll.")
    if locked.is_closed():
        return
    Poll.objects.filter(pk=locked.pk).update(closes_at=timezone.now())
    invalidate(f"thread:{locked.thread_id}")
