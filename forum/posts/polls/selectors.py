"""What a viewer sees of a thread's poll, rendered on the server."""

from dataclasses import dataclass

from django.template.loader import render_to_string

from forum.core.perviewer import is_representative
from forum.policy import can_manage_poll, can_vote
from forum.posts.polls.models import Poll, PollVote

MAX_NAMES = 50  # public voters named per option; the rest are counted


@dataclass
class PollView:
    poll: Poll
    options: list
    mine: frozenset  # the options this viewer chose
    may_vote: bool
    show_results: bool
    closed: bool
    may_manage: bool
    voters: dict  # option id -> names (public polls, results shown)

    def inputs(self) -> tuple:
        return (self.mine, self.may_vote, self.show_results, self.may_manage)


def poll_for(thread) -> Poll | None:
    """The thread's poll with its options (no query for a thread without)."""
    if not getattr(thread, "has_poll", False):
        return None
    poll = Poll.objects.filter(thread_id=thread.pk).first()
    if poll is not None:
        poll.thread = thread
        poll.option_list = list(poll.options.all())
    return poll


def my_votes(user, poll: Poll) -> frozenset:
    if is_representative(user) or not user.is_authenticated:
        return frozenset()
    found = PollVote.objects.filter(poll=poll, voter_id=user.pk)
    return frozenset(found.values_list("option_id", flat=True))


def view_for(user, poll: Poll, mine: frozenset | None = None) -> PollView:
    mine = my_votes(user, poll) if mine is None else mine
    closed = poll.is_closed()
    voted = bool(mine)
    may_vote = can_vote(user, poll.thread, poll) and (not voted or poll.allow_change)
    show = (
        poll.results == Poll.Results.ALWAYS
        or closed
        or (poll.results == Poll.Results.VOTED and voted)
    )
    total = sum(o.vote_count for o in poll.option_list) or 1
    for option in poll.option_list:
        option.percent = round(100 * option.vote_count / total)
    voters = _public_voters(poll) if show and poll.public_voters else {}
    for option in poll.option_list:
        option.voter_names = voters.get(option.pk, [])
    return PollView(
        poll=poll,
        options=poll.option_list,
        mine=mine,
        may_vote=may_vote,
        show_results=show,
        closed=closed,
        may_manage=can_manage_poll(user, poll.thread),
        voters=voters,
    )


def _public_voters(poll: Poll) -> dict:
    names: dict[int, list[str]] = {}
    rows = (
        PollVote.objects.filter(poll=poll)
        .order_by("option_id", "created_at", "pk")
        .values_list("option_id", "voter__username")
    )
    for option_id, name in rows:
        listed = names.setdefault(option_id, [])
        if len(listed) < MAX_NAMES:
            listed.append(name)
    return names


def render_poll(view: PollView, request, *, csrf_token=None) -> str:
    context = {"pv": view, "thread": view.poll.thread}
    if csrf_token is not None:
        context["csrf_token"] = csrf_token
    return render_to_string("posts/_poll.html", context, request)
