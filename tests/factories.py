"""Factories. Threads and posts are made through the services, so every counter a
test reads is the one the product keeps."""

import itertools

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from forum.threads.models import Node

_sequence = itertools.count(1)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(
        lambda o: f"{o.username.lower().replace(' ', '')}@example.com"
    )
    password = factory.django.Password("demo-password")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        # Members can post once their e-mail is verified; pass verified=False to
        # get a fresh, unverified sign-up.
        if create and extracted is not False:
            EmailAddress.objects.create(
                user=obj, email=obj.email, verified=True, primary=True
            )


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Node

    title = factory.Sequence(lambda n: f"Category {n}")
    kind = Node.Kind.CATEGORY


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Node

    title = factory.Sequence(lambda n: f"Forum {n}")
    kind = Node.Kind.FORUM
    parent = factory.SubFactory(CategoryFactory)


def make_thread(*, author, node, title=None, body=None, replies=0, repliers=None):
    """A thread with `replies` replies (authors cycle through `repliers`)."""
    from forum.posts import services

    n = next(_sequence)
    result = services.create_thread(
        author=author,
        node=node,
        title=title or f"Thread {n}",
        body=body or f"Opening post number {n}.",
        enforce_limits=False,
    )
    thread = result.post.thread
    people = itertools.cycle(repliers or [author])
    for i in range(replies):
        services.reply_to_thread(
            author=next(people),
            thread=thread,
            body=f"Reply {i + 1} in thread {n}.",
            enforce_limits=False,
        )
    thread.refresh_from_db()
    return thread


def reply(*, author, thread, body=None):
    from forum.posts import services

    thread.refresh_from_db()
    result = services.reply_to_thread(
        author=author,
        thread=thread,
        body=body or f"A reply {next(_sequence)}.",
        enforce_limits=False,
    )
    return result.post


def wait_out_flood(member):
    """Forget when a member last posted, as if the flood window had passed (the
    factories above post through the services, which start the member's clock)."""
    type(member).objects.filter(pk=member.pk).update(last_post_at=None)
    member.last_post_at = None
    return member


# --- reactions (tests/posts/test_reactions*.py) ---
DEFAULT_REACTION_TYPES = [
    ("Like", "\U0001f44d", 1),
    ("Love", "\u2764\ufe0f", 1),
    ("Haha", "\U0001f602", 1),
    ("Wow", "\U0001f62e", 1),
    ("Sad", "\U0001f622", 0),
    ("Angry", "\U0001f621", 0),
]


def default_reaction_types() -> dict:
    """The migration's default reaction set by name; made again when a
    transactional test has emptied the table."""
    from forum.posts.models import ReactionType

    types = {}
    for i, (name, emoji, score) in enumerate(DEFAULT_REACTION_TYPES):
        types[name], _ = ReactionType.objects.get_or_create(
            name=name,
            defaults={"emoji": emoji, "score": score, "display_order": 10 * (i + 1)},
        )
    return types


def react(*, user, post, reaction_type):
    """React through the service, without the per-minute limit."""
    from forum.posts.reactions import react_to_post

    return react_to_post(
        user=user, post=post, reaction_type=reaction_type, enforce_limits=False
    )
