"""Reactions fired at one post from many members at once, each on its own database
connection: the post's counters and the author's score must equal a full recount."""

import threading
from collections import Counter

import pytest
from django.db import connection

from forum.posts import reactions, services
from forum.posts.models import Post, Reaction
from forum.posts.recount import counter_drift
from tests import factories

WORKERS = 30


def run_in_parallel(jobs) -> list[BaseException]:
    """Run each job (a list of callables) in its own thread with its own database
    connection, all released at once; return what they raised."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(steps):
        try:
            barrier.wait(timeout=30)
            for step in steps:
                step()
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(steps,)) for steps in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    return errors


def reacting(user, post, reaction_type, *, tolerate_refusal=False):
    def step():
        try:
            reactions.react_to_post(user=user, post=post, reaction_type=reaction_type)
        except reactions.ReactionRefused:
            if not tolerate_refusal:
                raise

    return step


@pytest.fixture
def scene(transactional_db):
    types = factories.default_reaction_types()
    author = factories.MemberFactory(username="Author")
    node = factories.ForumFactory()
    thread = factories.make_thread(author=author, node=node, replies=1)
    post = Post.objects.get(thread=thread, position=1)
    fans = [factories.MemberFactory(username=f"Fan{i:02d}") for i in range(60)]
    return types, author, thread, post, fans


@pytest.mark.django_db(transaction=True)
def test_parallel_reactions_and_removals_leave_exact_counts(scene):
    types, author, _, post, fans = scene
    like, sad = types["Like"], types["Sad"]
    kinds = list(types.values())
    for fan in fans[:20]:  # reactions already there before the rush
        factories.react(user=fan, post=post, reaction_type=like)
    expected: Counter = Counter()
    work = []
    for i, fan in enumerate(fans):
        if i < 10:  # take their Like back
            work.append([reacting(fan, post, like)])
        elif i < 20:  # change Like (+1) to Sad (0)
            work.append([reacting(fan, post, sad)])
            expected[sad.pk] += 1
        elif i < 30:  # react, then take it back
            kind = kinds[i % len(kinds)]
            work.append([reacting(fan, post, kind), reacting(fan, post, kind)])
        else:  # a new reaction
            kind = kinds[i % len(kinds)]
            work.append([reacting(fan, post, kind)])
            expected[kind.pk] += 1
    jobs = [work[i::WORKERS] for i in range(WORKERS)]  # two members per thread
    jobs = [[step for steps in job for step in steps] for job in jobs]

    errors = run_in_parallel(jobs)

    assert errors == []
    post.refresh_from_db()
    author.refresh_from_db()
    by_type = {str(pk): n for pk, n in expected.items()}
    score = sum(
        n * next(t.score for t in kinds if t.pk == pk) for pk, n in expected.items()
    )
    assert post.reaction_counts == by_type
    assert post.reaction_total == sum(expected.values()) == 40
    assert (post.reaction_score, author.reaction_score) == (score, score)
    assert Reaction.objects.filter(post=post).count() == 40
    assert len(post.recent_reactors) == 3
    assert counter_drift() == {}


def two_reactions_each(fans, post, kinds):
    """Each fan reacts, then switches to another type (or is refused meanwhile)."""
    return [
        [
            reacting(fan, post, kinds[i % 3], tolerate_refusal=True),
            reacting(fan, post, kinds[(i + 1) % 3], tolerate_refusal=True),
        ]
        for i, fan in enumerate(fans)
    ]


def spread(work, workers):
    return [
        [step for steps in work[i::workers] for step in steps] for i in range(workers)
    ]


@pytest.mark.django_db(transaction=True)
def test_reactions_racing_post_and_thread_deletion_keep_the_score_exact(scene):
    types, author, thread, post, fans = scene
    staff = factories.MemberFactory(username="Mod", is_staff=True)
    kinds = [types["Like"], types["Love"], types["Sad"]]
    work = two_reactions_each(fans, post, kinds)

    def toggle_post():
        for _ in range(3):
            services.delete_post(actor=staff, post=post)
            services.restore_post(actor=staff, post=post)

    def toggle_thread():
        for _ in range(3):
            services.delete_thread(actor=staff, thread=thread)
            services.restore_thread(actor=staff, thread=thread)

    errors = run_in_parallel(
        spread(work, WORKERS - 2) + [[toggle_post], [toggle_thread]]
    )

    assert errors == []
    author.refresh_from_db()
    post.refresh_from_db()
    assert Reaction.objects.filter(post=post).count() == post.reaction_total
    # Visible again at the end; the author's other post has no reactions.
    assert author.reaction_score == post.reaction_score
    assert counter_drift() == {}


@pytest.mark.django_db(transaction=True)
def test_reactions_racing_the_thread_starters_replies_do_not_deadlock(scene):
    types, author, thread, post, fans = scene
    first = Post.objects.get(thread=thread, position=0)  # the starter's too
    kinds = [types["Like"], types["Haha"], types["Angry"]]
    work = two_reactions_each(fans[:30], first, kinds)
    work += two_reactions_each(fans[30:], post, kinds)

    def starter_replies():  # a reply locks its author, then the thread
        for n in range(5):
            factories.reply(author=author, thread=thread, body=f"Still here {n}.")

    errors = run_in_parallel(spread(work, WORKERS - 1) + [[starter_replies]])

    assert errors == []
    author.refresh_from_db()
    first.refresh_from_db()
    post.refresh_from_db()
    assert first.reaction_total + post.reaction_total == len(fans)
    assert author.reaction_score == first.reaction_score + post.reaction_score
    assert counter_drift() == {}
