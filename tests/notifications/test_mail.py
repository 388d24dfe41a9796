"""Alert e-mails: held a few minutes, not sent for what was read meanwhile, one
per thread until the member comes back, digests, and one-click unsubscribe."""

from datetime import timedelta

import pytest
from django.contrib.sites.models import Site
from django.test import Client
from django.utils import timezone

from forum.notifications import events, mail
from forum.notifications.models import Alert, Preferences, ThreadWatch
from forum.notifications.services import watch_forum
from tests import factories
from tests.notifications.conftest import watch


@pytest.fixture
def held(monkeypatch):
    """The mails a post's alerts queue are held: the test says when the wait
    is over (mail.send_thread_mails), as the worker would after the delay."""
    waiting = []
    monkeypatch.setattr(events, "mail_later", waiting.append)
    return waiting


@pytest.fixture
def talk(forum_node, saleem):
    Site.objects.update_or_create(pk=1, defaults={"domain": "forum.example"})
    return factories.make_thread(author=saleem, node=forum_node, title="Dams")


def _reply(committed, author, thread, body=None):
    with committed():
        return factories.reply(
            author=factories.wait_out_flood(author), thread=thread, body=body
        )


def test_a_watchers_mail_waits_and_tells_what_happened(
    talk, saleem, windjammer, committed, held, mailoutbox
):
    watch(saleem, talk, email=True)
    post = _reply(committed, windjammer, talk, body="The dam is finished.")
    assert held == [talk.pk] and mailoutbox == []

    with committed():
        assert mail.send_thread_mails(talk.pk) == 1

    [sent] = mailoutbox
    assert sent.to == [saleem.email]
    assert "Windjammer replied to the thread Dams" in sent.subject
    assert "The dam is finished." in sent.body
    assert f"http://forum.example/posts/{post.pk}/" in sent.body
    html, mimetype = sent.alternatives[0]
    assert (
        mimetype == "text/html"
        and f'href="http://forum.example/posts/{post.pk}/"' in html
    )
    link = sent.extra_headers["List-Unsubscribe"]
    assert link.startswith("<http://forum.example/unsubscribe/") and link.endswith(">")
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_post_read_before_the_wait_is_over_sends_nothing(
    talk, saleem, windjammer, committed, held, mailoutbox
):
    watch(saleem, talk, email=True)
    _reply(committed, windjammer, talk)
    client = Client()
    client.force_login(saleem)
    client.get(talk.get_absolute_url())
    with committed():
        assert mail.send_thread_mails(talk.pk) == 0
    assert mailoutbox == []


def test_one_mail_per_thread_until_the_member_comes_back(
    talk, saleem, windjammer, hawk, committed, held, mailoutbox
):
    watch(saleem, talk, email=True)
    for author in (windjammer, hawk):
        _reply(committed, author, talk)
        with committed():
            mail.send_thread_mails(talk.pk)
    assert len(mailoutbox) == 1
    client = Client()
    client.force_login(saleem)
    client.get(talk.get_absolute_url())
    _reply(committed, windjammer, talk)
    with committed():
        mail.send_thread_mails(talk.pk)
    assert len(mailoutbox) == 2


def test_only_those_who_asked_get_mail(
    talk, saleem, windjammer, hawk, forum_node, committed, held, mailoutbox
):
    watch(saleem, talk, email=False)  # alerts only
    Preferences.objects.create(user=hawk, email_mentions=True)
    maple = factories.MemberFactory(username="Maple")  # mentioned, no mail wanted
    watch_forum(
        user=factories.MemberFactory(username="Reader2"),
        node=forum_node,
        mode="posts",
        email=True,
    )
    _reply(committed, windjammer, talk, body='@"Desert Hawk" and @Maple, see?')
    with committed():
        assert mail.send_thread_mails(talk.pk) == 2
    assert sorted(m.to[0] for m in mailoutbox) == [hawk.email, "reader2@example.com"]
    assert Alert.objects.filter(user=maple, kind="mention").exists()
    assert Alert.objects.filter(user=saleem, kind="reply").exists()


@pytest.mark.django_db(transaction=True)
def test_the_mail_task_is_queued_to_wait_a_few_minutes(
    talk, saleem, windjammer, settings
):
    from django_tasks_db.models import DBTaskResult

    from tests.outbox import run_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    watch(saleem, talk, email=True)
    factories.reply(author=windjammer, thread=talk)  # committed: its task queued
    run_worker()  # the fan-out, which queues the mails for later
    [waiting] = DBTaskResult.objects.filter(task_path__endswith="send_thread_mails")
    wait = waiting.run_after - timezone.now()
    assert timedelta(minutes=4) < wait <= timedelta(minutes=5)


def test_one_click_unsubscribe_needs_no_login_and_stops_only_that_watch(
    talk, saleem, windjammer, committed, held, mailoutbox
):
    watched = watch(saleem, talk, email=True)
    _reply(committed, windjammer, talk)
    with committed():
        mail.send_thread_mails(talk.pk)
    link = mailoutbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("http://forum.example")
    anyone = Client(enforce_csrf_checks=True)

    page = anyone.get(path)  # a link checker's visit changes nothing
    assert "Stop e-mails about the thread “Dams”?" in page.content.decode()
    watched.refresh_from_db()
    assert watched.email

    done = anyone.post(
        path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    watched.refresh_from_db()
    assert not watched.email and ThreadWatch.objects.filter(pk=watched.pk).exists()


def test_a_forged_or_stale_token_unsubscribes_nobody(talk, saleem):
    watched = watch(saleem, talk, email=True)
    forged = mail.make_token("t", watched.pk, saleem.pk) + "x"
    assert Client().post(f"/unsubscribe/{forged}").status_code == 404
    stale = mail.make_token("t", watched.pk, saleem.pk)
    watched.delete()
    assert Client().post(f"/unsubscribe/{stale}").status_code == 404


def test_a_digest_replaces_the_mails_for_absent_members(
    talk, saleem, windjammer, hawk, committed, held, mailoutbox
):
    Preferences.objects.create(user=saleem, digest="daily")
    watch(saleem, talk, email=True)
    type(saleem).objects.filter(pk=saleem.pk).update(
        last_seen_at=timezone.now() - timedelta(days=2)
    )
    _reply(committed, windjammer, talk)
    _reply(committed, hawk, factories.make_thread(author=saleem, node=talk.node))
    with committed():
        assert mail.send_thread_mails(talk.pk) == 0
        assert mail.send_digests("daily") == 1
        assert mail.send_digests("daily") == 0  # not twice in a day
    [digest] = mailoutbox
    assert "Your daily digest: 2 unread alerts" in digest.subject
    assert "Windjammer replied to the thread Dams" in digest.body
    link = digest.extra_headers["List-Unsubscribe"].strip("<>")
    Client().post(link.removeprefix("http://forum.example"))
    assert Preferences.objects.get(user=saleem).digest == "off"


def test_the_mail_goes_out_by_smtp_with_both_parts(
    talk, saleem, windjammer, committed, held, settings
):
    from tests.outbox import SmtpServer, send_queued_mail, use_smtp

    watch(saleem, talk, email=True)
    _reply(committed, windjammer, talk, body="By SMTP.")
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    mail.send_thread_mails(talk.pk)
    with SmtpServer(use_smtp(settings)) as server:
        assert send_queued_mail() == ["sent"]
    [message] = server.messages
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    kinds = [part.get_content_type() for part in message.walk()]
    assert "text/plain" in kinds and "text/html" in kinds


def test_a_watcher_with_email_who_is_quoted_gets_the_mail_of_the_quote(
    talk, saleem, windjammer, committed, held, mailoutbox
):
    watched = watch(saleem, talk, email=True)
    opening = talk.posts.get(position=0)
    quote = f'[QUOTE="Saleem, post: {opening.pk}, member: {saleem.pk}"]x[/QUOTE]'
    _reply(committed, windjammer, talk, body=quote + "Right.")
    with committed():
        assert mail.send_thread_mails(talk.pk) == 1
    [sent] = mailoutbox
    assert "Windjammer quoted you in Dams" in sent.subject
    token = sent.extra_headers["List-Unsubscribe"].strip("<>").rsplit("/", 1)[1]
    assert mail.read_token(token) == ("t", watched.pk, saleem.pk)
