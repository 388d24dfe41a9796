"""Posts a moderator moves take their alerts with them; a merged thread's
watchers watch the thread it was merged into."""

from django.test import Client

from forum.moderation.services import structure
from forum.notifications.models import Alert, ThreadWatch
from tests import factories
from tests.notifications.conftest import watch


def test_a_merge_keeps_the_watchers_and_their_alerts_lead_to_the_post(
    forum_node, saleem, windjammer, hawk, staff, committed
):
    source = factories.make_thread(author=saleem, node=forum_node, title="Dams")
    target = factories.make_thread(
        author=hawk, node=forum_node, title="Water", replies=3
    )
    watch(hawk, source, email=True)
    with committed():
        moved = factories.reply(author=windjammer, thread=source)
    [alert] = Alert.objects.filter(user=saleem)

    structure.merge_threads(actor=staff, source=source, target=target)

    moved.refresh_from_db()
    alert.refresh_from_db()
    assert (alert.thread_id, alert.position) == (target.pk, moved.position)
    assert ThreadWatch.objects.filter(user=saleem, thread=target).exists()
    assert ThreadWatch.objects.get(user=hawk, thread=target).email is True
    client = Client()
    client.force_login(saleem)
    client.get(f"/posts/{moved.pk}/", follow=True)
    saleem.refresh_from_db()
    assert saleem.unread_alert_count == 0
