"""The spam cleaner (one action, one log entry, one undo) and IP addresses."""

from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from forum.moderation.models import ModeratorLog
from forum.moderation.services import community
from forum.moderation.services.undo import undo_entry
from forum.policy import is_banned
from forum.posts import services
from forum.posts.models import Post
from forum.posts.recount import counter_drift
from forum.threads.models import Thread
from tests import factories


def _spammer(board):
    spammer = factories.MemberFactory(username="Spammer")
    own = factories.make_thread(author=spammer, node=board.forum, replies=2)
    elsewhere = [factories.reply(author=spammer, thread=board.thread) for _ in range(2)]
    return spammer, own, elsewhere


def test_spam_clean_bans_and_deletes_everything_in_one_log_entry(board, client):
    spammer, own, elsewhere = _spammer(board)
    client.force_login(board.admin)

    client.post(
        reverse("moderation:spam_clean", args=[spammer.pk]),
        {"reason": "Pills", "confirm": "on"},
    )

    assert is_banned(spammer)
    assert Thread.objects.get(pk=own.pk).is_deleted
    assert all(Post.objects.get(pk=p.pk).is_deleted for p in elsewhere)
    assert ModeratorLog.objects.count() == 1
    spammer.refresh_from_db()
    assert spammer.message_count == 0
    assert counter_drift() == {}


def test_undoing_a_spam_clean_restores_exactly_what_it_deleted(board):
    spammer, own, elsewhere = _spammer(board)
    already = factories.reply(author=spammer, thread=board.thread)
    services.delete_post(actor=board.admin, post=already, reason="Earlier")
    entry = community.clean_spammer(actor=board.admin, member=spammer)

    undo_entry(actor=board.admin, entry=entry)

    assert not is_banned(spammer)
    assert not Thread.objects.get(pk=own.pk).is_deleted
    assert not any(Post.objects.get(pk=p.pk).is_deleted for p in elsewhere)
    assert Post.objects.get(pk=already.pk).is_deleted  # not ours to restore
    assert counter_drift() == {}


def _post_with_ip(board, ip="203.0.113.9", author=None):
    return services.reply_to_thread(
        author=author or board.author,
        thread=board.thread,
        body=f"From {ip} {Post.objects.count()}",
        ip_address=ip,
        enforce_limits=False,
    ).post


def test_moderators_see_an_ip_link_members_do_not(board, client):
    post = _post_with_ip(board)
    ip_url = reverse("moderation:post_ip", args=[post.pk])

    client.force_login(board.other)
    assert ip_url not in client.get(board.thread.get_absolute_url()).content.decode()
    assert client.get(ip_url).status_code == 403
    client.force_login(board.mod_here)
    assert ip_url in client.get(board.thread.get_absolute_url()).content.decode()
    assert b"203.0.113.9" in client.get(ip_url).content


def test_staff_see_other_members_who_used_an_ip(board, client):
    _post_with_ip(board, author=board.author)
    _post_with_ip(board, author=board.other)
    _post_with_ip(board, ip="198.51.100.1", author=board.unverified)
    client.force_login(board.admin)

    page = client.get(reverse("moderation:ip_members"), {"ip": "203.0.113.9"})

    text = page.content.decode()
    assert "Author" in text and "Bystander" in text and "Newcomer" not in text
    client.force_login(board.mod_here)  # a forum's moderator: not this page
    assert (
        client.get(reverse("moderation:ip_members"), {"ip": "203.0.113.9"}).status_code
        == 403
    )


def test_purge_forgets_addresses_older_than_the_retention_period(board, settings):
    settings.FORUM_IP_RETENTION_DAYS = 90
    old = _post_with_ip(board)
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(91))
    recent = _post_with_ip(board, ip="198.51.100.7")

    call_command("purge_ips", stdout=open("/dev/null", "w"))

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.ip_address is None
    assert recent.ip_address == "198.51.100.7"
