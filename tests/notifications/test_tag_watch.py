"""Watching a tag: a new thread under it alerts the watcher, once, if they may
see it and do not ignore its starter."""

from django.test import Client

from forum.notifications.models import Alert, TagWatch
from forum.posts.labelling import create_labelled_thread
from forum.threads.models import Tag
from tests import factories


def _new_thread(committed, author, node, tags, title="Carrier group"):
    with committed():
        return create_labelled_thread(
            author=author, node=node, title=title, body="Seen off the coast.",
            tag_names=tags, enforce_limits=False,
        ).post.thread  # fmt: skip


def test_a_new_thread_with_a_watched_tag_alerts_the_watcher_once(
    forum_node, saleem, windjammer, hawk, committed
):
    navy = Tag.objects.create(name="Navy", key="navy")
    client = Client()
    client.force_login(windjammer)
    assert "Watch this tag" in client.get("/tags/navy/watch").content.decode()
    client.post("/tags/navy/watch", {})
    assert TagWatch.objects.filter(user=windjammer, tag=navy).exists()
    thread = _new_thread(committed, saleem, forum_node, ["Navy", "Submarines"])

    alerts = Alert.objects.filter(user=windjammer)
    assert [(a.kind, a.thread_id) for a in alerts] == [(Alert.Kind.THREAD, thread.pk)]
    assert not Alert.objects.filter(user=hawk).exists()
    # A reply to it is not news to a tag's watcher.
    with committed():
        factories.reply(author=hawk, thread=thread)
    assert Alert.objects.filter(user=windjammer).count() == 1


def test_watchers_who_may_not_see_the_forum_or_ignore_the_starter_hear_nothing(
    forum_node, saleem, windjammer, hawk, committed
):
    from tests.moderation.conftest import make_private

    navy = Tag.objects.create(name="Navy", key="navy")
    TagWatch.objects.create(user=windjammer, tag=navy)
    TagWatch.objects.create(user=hawk, tag=navy)
    hawk.ignored_members = [saleem.pk]
    hawk.save()
    hidden = factories.ForumFactory(title="Staff room", parent=forum_node.parent)
    make_private(hidden)
    _new_thread(committed, saleem, hidden, ["Navy"])
    assert not Alert.objects.filter(user=windjammer).exists()
    _new_thread(committed, saleem, forum_node, ["Navy"], title="Open")
    assert Alert.objects.filter(user=windjammer).count() == 1
    assert not Alert.objects.filter(user=hawk).exists()
