"""Alerts as a member sees them: who hears of what, gathered while unread, read
by reading the post, and the header's count."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from forum.moderation.services import community
from forum.moderation.services import content as moderation
from forum.notifications.models import Alert, ThreadWatch
from forum.notifications.services import Kind, notify
from forum.posts import services
from forum.posts.recount import counter_drift
from tests import factories
from tests.moderation.conftest import make_moderator, make_private
from tests.notifications.conftest import watch


def _alerts(user, **filters):
    return list(Alert.objects.filter(user=user, **filters).order_by("id"))


def _count(user) -> int:
    user.refresh_from_db(fields=["unread_alert_count"])
    return user.unread_alert_count


def _name(link) -> str:
    """A link's accessible name as a screen reader says it: its label, else its
    text without what is hidden from assistive technology (the badge)."""
    if link.get("aria-label"):
        return link["aria-label"]
    for hidden in link.select("[aria-hidden=true]"):
        hidden.decompose()
    return " ".join(link.get_text().split())


def _header(client, url="/") -> str:
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    found = soup.select_one("a.user-nav__alerts")
    return _name(found) if found else ""


@pytest.fixture
def talk(forum_node, saleem):
    return factories.make_thread(author=saleem, node=forum_node, title="Border talks")


def test_a_watcher_hears_of_each_reply_gathered_into_one_unread_alert(
    talk, saleem, windjammer, hawk, committed
):
    with committed():
        first = factories.reply(author=windjammer, thread=talk)
        # Hawk replies before the first reply's alerts are written: he watches
        # by replying, and has seen what came before.
        factories.reply(author=hawk, thread=talk)

    [alert] = _alerts(saleem)  # the starter watches what they start
    assert (alert.kind, alert.count, alert.post_id) == (Kind.REPLY, 2, first.pk)
    assert alert.actor == hawk  # the latest
    assert _count(saleem) == 1
    assert [a.actor for a in _alerts(windjammer)] == [hawk]  # watches by replying
    assert _alerts(hawk) == []


def test_nobody_hears_of_their_own_post(talk, saleem, committed):
    with committed():
        factories.reply(author=saleem, thread=talk)
    assert _alerts(saleem) == []


def test_the_headers_counts_are_named_without_a_stray_space(saleem, windjammer):
    from forum.conversations import services as conversations

    for text in ("One", "Two", "Three"):
        notify(user=saleem, kind=Kind.MODERATION, text=text)
    conversations.start_conversation(
        starter=windjammer, title="A word", recipients=[saleem], body="Hello."
    )
    client = Client()
    client.force_login(saleem)
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    names = [_name(link) for link in soup.select(".header-counts a")]
    assert names == ["Alerts, 4 unread", "Conversations, 1 unread"]


def test_reading_the_post_reads_the_alert_and_the_header_says_so(
    talk, saleem, windjammer, committed
):
    with committed():
        reply = factories.reply(author=windjammer, thread=talk)
    client = Client()
    client.force_login(saleem)
    assert _header(client) == "Alerts, 1 unread"

    page = client.get(f"/posts/{reply.pk}/", follow=True)

    assert page.redirect_chain[-1][0].endswith(f"#post-{reply.pk}")
    assert "user-nav__alerts" in page.text and "1 unread" not in page.text
    assert _count(saleem) == 0
    assert _alerts(saleem)[0].read_at is not None
    assert _header(client) == "Alerts"


def test_a_page_before_the_alerted_post_leaves_the_alert_unread(
    forum_node, saleem, windjammer, committed, settings
):
    settings.FORUM_POSTS_PER_PAGE = 2
    thread = factories.make_thread(author=saleem, node=forum_node, replies=2)
    with committed():
        factories.reply(author=windjammer, thread=thread)  # position 3: page 2
    client = Client()
    client.force_login(saleem)
    client.get(thread.get_absolute_url())
    assert _count(saleem) == 1
    client.get(thread.get_absolute_url(2))
    assert _count(saleem) == 0


def test_a_new_alert_after_reading_starts_a_new_line(
    talk, saleem, windjammer, committed
):
    with committed():
        factories.reply(author=windjammer, thread=talk)
    client = Client()
    client.force_login(saleem)
    client.get(talk.get_absolute_url())
    with committed():
        factories.reply(author=factories.wait_out_flood(windjammer), thread=talk)
    alerts = _alerts(saleem)
    assert [a.read_at is None for a in alerts] == [False, True]
    assert _count(saleem) == 1


def test_forum_watchers_hear_of_new_threads_and_if_they_asked_of_every_post(
    forum_node, saleem, windjammer, hawk, committed
):
    from forum.notifications.services import watch_forum

    watch_forum(user=saleem, node=forum_node, mode="threads", email=False)
    watch_forum(user=hawk, node=forum_node, mode="posts", email=False)
    with committed():
        thread = factories.make_thread(
            author=windjammer, node=forum_node, title="Gwadar"
        )
    with committed():
        factories.reply(author=windjammer, thread=thread)

    assert [a.kind for a in _alerts(saleem)] == [Kind.THREAD]
    assert [(a.kind, a.count) for a in _alerts(hawk)] == [
        (Kind.THREAD, 1),
        (Kind.REPLY, 1),
    ]


def test_quoted_and_mentioned_members_hear_of_it_once_each(
    talk, saleem, windjammer, hawk, committed
):
    opening = talk.posts.get(position=0)
    watch(hawk, talk)  # a watcher who is also mentioned: one alert, the mention
    quote = f'[QUOTE="Saleem, post: {opening.pk}, member: {saleem.pk}"]Hello[/QUOTE]'
    with committed():
        post = factories.reply(
            author=windjammer, thread=talk, body=f'{quote}Agreed, @"Desert Hawk"?'
        )

    assert [(a.kind, a.post_id) for a in _alerts(saleem)] == [(Kind.QUOTE, post.pk)]
    assert [(a.kind, a.post_id) for a in _alerts(hawk)] == [(Kind.MENTION, post.pk)]
    assert f"[USER={hawk.pk}]Desert Hawk[/USER]" in post.body


def test_a_forged_member_in_a_quote_does_not_alert_them(
    talk, saleem, windjammer, hawk, committed
):
    opening = talk.posts.get(position=0)
    with committed():
        factories.reply(
            author=windjammer,
            thread=talk,
            body=f'[QUOTE="Desert Hawk, post: {opening.pk}, member: {hawk.pk}"]x'
            "[/QUOTE]",
        )
    assert _alerts(hawk) == []  # the quoted post is Saleem's
    assert [a.kind for a in _alerts(saleem)] == [Kind.QUOTE]


def test_a_mention_of_a_member_who_ignores_the_writer_alerts_nobody(
    talk, windjammer, hawk, committed
):
    hawk.ignored_members = [windjammer.pk]
    hawk.save(update_fields=["ignored_members"])
    with committed():
        factories.reply(author=windjammer, thread=talk, body='Hey @"Desert Hawk"')
    assert _alerts(hawk) == []


def test_a_mention_of_a_member_who_cannot_see_the_forum_alerts_nobody(
    windjammer, hawk, committed
):
    secret = factories.ForumFactory(title="Staff room")
    make_private(secret)
    insider = make_moderator(windjammer, secret)
    thread = factories.make_thread(author=insider, node=secret)
    with committed():
        factories.reply(author=insider, thread=thread, body='Ask @"Desert Hawk"')
    assert _alerts(hawk) == []


def test_an_edit_alerts_only_the_mentions_it_adds(
    talk, saleem, windjammer, hawk, committed
):
    other = factories.MemberFactory(username="Maple")
    with committed():
        post = factories.reply(author=windjammer, thread=talk, body="Hi @Maple")
    assert len(_alerts(other)) == 1
    before = _alerts(saleem)
    with committed():
        services.edit_post(
            editor=windjammer, post=post, body='Hi @Maple and @"Desert Hawk"'
        )

    assert len(_alerts(other)) == 1
    assert [a.kind for a in _alerts(hawk)] == [Kind.MENTION]
    assert [(a.pk, a.count) for a in _alerts(saleem)] == [
        (a.pk, a.count) for a in before
    ]  # the watcher hears nothing of an edit


def test_reactions_are_gathered_by_who_reacted(
    talk, saleem, windjammer, hawk, reaction_types, committed
):
    post = talk.posts.get(position=0)
    with committed():
        factories.react(
            user=windjammer, post=post, reaction_type=reaction_types["Like"]
        )
        factories.react(user=hawk, post=post, reaction_type=reaction_types["Love"])
        factories.react(user=hawk, post=post, reaction_type=reaction_types["Wow"])

    [alert] = _alerts(saleem, kind=Kind.REACTION)
    assert (alert.actor, alert.others, alert.count) == (hawk, 1, 2)
    client = Client()
    client.force_login(saleem)
    text = client.get("/account/alerts").content.decode()
    assert "Desert Hawk</a> and 1 other reacted to your post in" in text


def test_a_post_held_for_approval_alerts_once_it_is_approved(
    talk, saleem, settings, forum_node, committed
):
    settings.FORUM_APPROVAL_POSTS = 5
    newcomer = factories.MemberFactory(username="Newcomer")
    moderator = make_moderator(factories.MemberFactory(), forum_node)
    with committed():
        held = services.reply_to_thread(
            author=newcomer, thread=talk, body="First post!"
        ).post
    assert _alerts(saleem) == []
    with committed():
        moderation.approve_post(actor=moderator, post=held)
    assert [(a.kind, a.post_id) for a in _alerts(saleem)] == [(Kind.REPLY, held.pk)]


def test_moderation_outcomes_still_arrive_through_notify(saleem, staff, committed):
    community.ban_member(actor=staff, member=saleem, reason="Off-topic spam", days=1)
    notify(user=saleem, kind=Kind.MODERATION, text="Your report was handled.")
    client = Client()
    client.force_login(saleem)
    text = client.get("/account/alerts").content.decode()
    assert "Off-topic spam" in text and "Your report was handled." in text
    assert _count(saleem) == 2


def test_unread_counts_agree_with_a_recount(
    talk, saleem, windjammer, hawk, reaction_types, committed
):
    with committed():
        factories.reply(author=windjammer, thread=talk, body='@"Desert Hawk" look')
        factories.react(
            user=hawk,
            post=talk.posts.get(position=0),
            reaction_type=reaction_types["Like"],
        )
    notify(user=hawk, kind=Kind.MODERATION, text="A warning.")
    client = Client()
    client.force_login(hawk)
    client.post("/account/alerts/read", {"alert": _alerts(hawk)[0].pk})
    assert _count(saleem) == 2 and _count(hawk) == 1
    assert counter_drift() == {}


def test_a_deleted_account_is_no_longer_named_and_its_alerts_go(
    talk, saleem, windjammer, committed
):
    from forum.members.services import delete_account

    with committed():
        factories.reply(author=windjammer, thread=talk)
    delete_account(member=windjammer)
    [alert] = _alerts(saleem)
    assert alert.actor_name == f"Deleted member {windjammer.pk}"
    assert (
        _alerts(windjammer) == []
        and not ThreadWatch.objects.filter(user=windjammer).exists()
    )
    assert counter_drift() == {}
