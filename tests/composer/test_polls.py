"""Polls: made with a new thread or later, voted in (exactly, however many vote
at once), closed; results shown as the poll's settings say."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from forum.posts.models import Poll, PollOption, PollVote
from forum.posts.polls import services
from forum.posts.polls.services import PollRefused, PollSpec
from tests import factories
from tests.posts.test_reactions_concurrency import run_in_parallel


def _thread_with_poll(node, starter, **settings):
    thread = factories.make_thread(author=starter, node=node, title="Which tank?")
    spec = PollSpec(
        question="Which tank?", options=["Al-Khalid", "T-80UD", "Haider"], **settings
    )
    services.create_poll(actor=starter, thread=thread, spec=spec)
    thread.refresh_from_db()
    return thread, Poll.objects.get(thread=thread)


def _page(client, thread):
    return BeautifulSoup(client.get(thread.get_absolute_url()).content, "html.parser")


def test_a_new_thread_opens_with_its_poll(member_client, forum_node):
    response = member_client.post(
        forum_node.get_post_thread_url(),
        {
            "title": "Best rifle",
            "body": "Vote below.",
            "poll-question": "Which rifle?",
            "poll-options": "G3\nType 56\n\nAK-47",
            "poll-max_choices": "2",
            "poll-results": "voted",
            "poll-public_voters": "on",
        },
    )
    assert response.status_code == 302
    poll = Poll.objects.get()
    assert [o.text for o in poll.options.all()] == ["G3", "Type 56", "AK-47"]
    assert (poll.max_choices, poll.results, poll.public_voters) == (2, "voted", True)
    assert poll.thread.has_poll


def test_a_poll_with_one_option_is_refused_and_the_thread_text_kept(
    member_client, forum_node
):
    response = member_client.post(
        forum_node.get_post_thread_url(),
        {
            "title": "Best rifle",
            "body": "My long opening post.",
            "poll-question": "Which rifle?",
            "poll-options": "G3",
        },
    )
    page = BeautifulSoup(response.content, "html.parser")
    assert "2 to 20 different options" in page.get_text()
    assert "My long opening post." in page.select_one("textarea[name=body]").get_text()
    assert not Poll.objects.exists()


def test_voting_counts_once_and_results_show_after_voting(forum_node, member):
    thread, poll = _thread_with_poll(forum_node, member, results="voted")
    voter = factories.MemberFactory()
    client = Client()
    client.force_login(voter)
    before = _page(client, thread).select_one("#poll")
    assert "Results are shown after you vote" in before.get_text()

    option = poll.options.get(text="Haider")
    client.post(f"/threads/{thread.pk}/poll/vote", {"option": option.pk})

    after = _page(client, thread).select_one("#poll")
    assert "(your vote)" in after.select_one(".poll__result--mine").get_text()
    assert "1 vote" in after.get_text()
    with pytest.raises(PollRefused, match="already voted"):
        services.vote(voter=voter, poll=poll, option_ids=[option.pk])
    # Another member who has not voted still sees no results.
    other = Client()
    other.force_login(factories.MemberFactory())
    assert "Results are shown after you vote" in _page(other, thread).get_text()


def test_a_changeable_vote_moves_the_count(forum_node, member):
    thread, poll = _thread_with_poll(forum_node, member, allow_change=True)
    voter = factories.MemberFactory()
    first, second = poll.options.all()[:2]
    services.vote(voter=voter, poll=poll, option_ids=[first.pk])
    services.vote(voter=voter, poll=poll, option_ids=[second.pk])
    counts = dict(PollOption.objects.values_list("text", "vote_count"))
    assert counts == {"Al-Khalid": 0, "T-80UD": 1, "Haider": 0}
    poll.refresh_from_db()
    assert poll.voter_count == 1


def test_a_closed_poll_takes_no_votes_and_shows_its_results(forum_node, member):
    thread, poll = _thread_with_poll(forum_node, member, results="closed")
    starter = Client()
    starter.force_login(member)
    starter.post(f"/threads/{thread.pk}/poll/close")
    poll.refresh_from_db()
    assert poll.is_closed()
    with pytest.raises(PollRefused, match="closed"):
        services.vote(
            voter=factories.MemberFactory(),
            poll=poll,
            option_ids=[poll.options.first().pk],
        )
    assert "0 votes" in _page(Client(), thread).select_one("#poll").get_text()


def test_only_the_starter_or_a_moderator_adds_or_closes_a_poll(forum_node, member):
    thread = factories.make_thread(author=member, node=forum_node)
    outsider = Client()
    outsider.force_login(factories.MemberFactory())
    assert outsider.get(f"/threads/{thread.pk}/poll/add").status_code == 403
    starter = Client()
    starter.force_login(member)
    response = starter.post(
        f"/threads/{thread.pk}/poll/add",
        {"poll-question": "Added later?", "poll-options": "Yes\nNo"},
    )
    assert response.status_code == 302
    assert Poll.objects.get(thread=thread).question == "Added later?"


def test_a_close_date_in_the_past_is_refused(forum_node, member):
    thread = factories.make_thread(author=member, node=forum_node)
    spec = PollSpec(
        question="Q?", options=["a", "b"], closes_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(PollRefused, match="future"):
        services.create_poll(actor=member, thread=thread, spec=spec)


def test_a_vote_makes_the_thread_page_afresh(
    forum_node, member, django_capture_on_commit_callbacks
):
    thread, poll = _thread_with_poll(forum_node, member)
    guest = Client()
    assert "0 voters" in _page(guest, thread).get_text()
    with django_capture_on_commit_callbacks(execute=True):
        services.vote(
            voter=factories.MemberFactory(),
            poll=poll,
            option_ids=[poll.options.first().pk],
            enforce_limits=False,
        )
    assert "1 voter" in _page(guest, thread).get_text()


@pytest.mark.django_db(transaction=True)
def test_fifty_members_voting_at_once_are_all_counted_exactly():
    starter = factories.MemberFactory(username="Starter")
    node = factories.ForumFactory()
    thread, poll = _thread_with_poll(node, starter, max_choices=2)
    options = list(poll.options.all())
    voters = [factories.MemberFactory(username=f"Voter{i:02d}") for i in range(50)]

    def voting(voter, picks):
        return lambda: services.vote(
            voter=voter, poll=poll, option_ids=picks, enforce_limits=False
        )

    jobs = [
        [voting(v, [options[i % 3].pk, options[(i + 1) % 3].pk])]
        for i, v in enumerate(voters)
    ]

    assert run_in_parallel(jobs) == []
    poll.refresh_from_db()
    assert poll.voter_count == 50
    counted = {o.pk: o.vote_count for o in PollOption.objects.filter(poll=poll)}
    real = {o.pk: PollVote.objects.filter(option=o).count() for o in options}
    assert counted == real and sum(counted.values()) == 100
