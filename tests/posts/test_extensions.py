"""Where the apps above posts plug in: what posts tells them, and when."""

import dataclasses

import pytest
from django.test import Client

from forum.moderation.services import content as moderation
from forum.posts import extensions, services
from forum.posts.models import Post
from tests import factories
from tests.moderation.conftest import make_moderator
from tests.querycount import queries_for


@pytest.fixture
def registry(monkeypatch):
    """A registry of the test's own, with what the installed apps registered."""
    copy = extensions._Registry(
        **{
            f.name: dict(getattr(extensions._registry, f.name))
            for f in dataclasses.fields(extensions._Registry)
        }
    )
    monkeypatch.setattr(extensions, "_registry", copy)
    return copy


@pytest.fixture
def events(registry):
    seen = []
    extensions.register_post_hook("test", seen.append)
    return seen


def _kinds(events):
    return [(e.kind, e.post.position, e.new_thread) for e in events]


def test_post_hooks_hear_of_every_change_a_member_would_notice(
    events, member, other_member, forum_node
):
    thread = factories.make_thread(author=member, node=forum_node, replies=1)
    reply = thread.posts.get(position=1)
    services.edit_post(editor=member, post=reply, body="Better words.")
    services.delete_post(actor=member, post=reply)
    services.restore_post(actor=member, post=reply)

    assert _kinds(events) == [
        ("created", 0, True),
        ("created", 1, False),
        ("edited", 1, False),
        ("hidden", 1, False),
        ("shown", 1, False),
    ]
    assert events[2].previous_body.startswith("Reply 1")
    assert events[2].post.body == "Better words."


def test_an_edit_that_changes_nothing_is_not_announced(events, thread, member):
    post = thread.posts.get()
    services.edit_post(editor=member, post=post, body=post.body)
    assert [e.kind for e in events] == ["created"]


def test_approving_held_posts_and_threads_is_announced(
    events, settings, forum_node, other_member
):
    settings.FORUM_APPROVAL_POSTS = 5
    newcomer = factories.MemberFactory()
    moderator = make_moderator(factories.MemberFactory(), forum_node)
    held_thread = services.create_thread(
        author=newcomer, node=forum_node, title="Held", body="Mine."
    ).post
    open_thread = factories.make_thread(author=other_member, node=forum_node)
    held_reply = services.reply_to_thread(
        author=factories.wait_out_flood(newcomer), thread=open_thread, body="Me too."
    ).post
    assert not held_thread.is_approved and not held_reply.is_approved
    events.clear()

    moderation.approve_post(actor=moderator, post=held_reply)
    moderation.approve_post(actor=moderator, post=held_thread)
    moderation.unapprove_post(actor=moderator, post=held_reply)

    assert _kinds(events) == [
        ("approved", 1, False),
        ("approved", 0, True),
        ("hidden", 1, False),
    ]
    assert events[0].by == moderator and events[0].post.is_approved


def test_body_rewrites_change_what_is_stored_and_rendered(registry, thread, member):
    extensions.register_body_rewrite(
        "test", lambda body, *, author: body.replace("{me}", f"[b]{author}[/b]")
    )
    post = factories.reply(author=member, thread=thread, body="I am {me}.")
    assert post.body == "I am [b]Reader[/b]."
    assert "<strong>Reader</strong>" in post.body_html


def test_view_hooks_hear_how_far_a_member_read(registry, thread, member_client):
    seen = []
    extensions.register_view_hook("test", lambda **kw: seen.append(kw))
    factories.reply(author=thread.starter, thread=thread)

    member_client.get(thread.get_absolute_url())  # the shared render is made
    member_client.get(thread.get_absolute_url())  # and served
    Client().get(thread.get_absolute_url())  # a guest reads nothing

    assert [(s["thread"].pk, s["position"]) for s in seen] == [(thread.pk, 1)] * 2


def test_viewer_facts_reach_the_parts_without_a_query_of_their_own(
    registry, forum_node, member, other_member
):
    extensions.register_viewer_fact(
        extensions.ViewerFact(
            "mine",
            "SELECT count(*) FROM posts_post"
            " WHERE thread_id = %(thread)s AND author_id = %(user)s",
        )
    )
    seen = []

    def make(request, facts):
        seen.append(facts)
        return lambda arg, inner: f'<p class="mine">{facts.get("mine")}</p>'

    extensions.register_viewer_part("thread", "thread-tools", make)
    thread = factories.make_thread(
        author=other_member, node=forum_node, replies=3, repliers=[member]
    )
    client = Client()
    client.force_login(member)
    client.get(thread.get_absolute_url())
    queries = queries_for(client, thread.get_absolute_url())

    assert seen[-1]["mine"] == 3
    assert '<p class="mine">3</p>' in client.get(thread.get_absolute_url()).text
    assert len(queries) <= 4, "\n".join(queries)


def test_reaction_hooks_hear_of_new_reactions_only(
    registry, thread, other_member, reaction_types
):
    seen = []
    extensions.register_reaction_hook("test", lambda **kw: seen.append(kw))
    post = Post.objects.get(thread=thread)
    for name in ("Like", "Love", "Love"):  # give, change, take back
        factories.react(
            user=other_member, post=post, reaction_type=reaction_types[name]
        )
    assert [(s["by"], s["reaction_type"].name) for s in seen] == [
        (other_member, "Like")
    ]
