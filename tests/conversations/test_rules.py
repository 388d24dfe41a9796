"""Who may contact whom: privacy, ignoring, the moderator-revocable right, the
per-role limits, the approval of a new member's links, reports."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from forum.conversations import services
from forum.conversations.models import Conversation, Message, MessageReport
from forum.members import services as members
from forum.moderation.models import ModeratorLog
from forum.notifications.models import Alert
from forum.posts.recount import counter_drift
from tests import factories
from tests.conversations.conftest import login

User = get_user_model()
LIMITS = {
    "member": {"recipients": 2, "per_day": 2, "recipients_per_day": 3},
    "moderator": {"recipients": 20, "per_day": 50, "recipients_per_day": 200},
    "staff": {"recipients": 100, "per_day": 500, "recipients_per_day": 2000},
}


def start(starter, *recipients, title="Hello", body="Hello there."):
    return services.start_conversation(
        starter=starter, title=title, recipients=list(recipients), body=body
    )


def test_an_ignored_member_cannot_start_a_conversation_with_the_ignorer(client, crew):
    members.ignore_member(member=crew["Saleem"], ignored=crew["Windjammer"])
    login(client, crew["Windjammer"])
    response = client.post(
        reverse("conversations:add"),
        {"recipients": "Saleem", "title": "Still there?", "body": "Answer me."},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Saleem does not accept conversations from you." in page
    assert "Answer me." in page  # what was typed comes back
    assert not Conversation.objects.exists()
    assert not Alert.objects.filter(user=crew["Saleem"]).exists()


def test_an_ignored_member_cannot_invite_the_ignorer_either(crew):
    talk = start(crew["Windjammer"], crew["Desert Hawk"])
    members.ignore_member(member=crew["Saleem"], ignored=crew["Windjammer"])
    participant = talk.participants.get(user=crew["Windjammer"])
    participant.user = crew["Windjammer"]
    with pytest.raises(services.ConversationRefused):
        services.invite(
            inviter=crew["Windjammer"],
            participant=participant,
            recipients=[crew["Saleem"]],
        )


def test_an_ignored_member_in_a_shared_conversation_does_not_alert_the_ignorer(
    crew,
):
    talk = start(crew["Desert Hawk"], crew["Saleem"], crew["Windjammer"])
    members.ignore_member(member=crew["Saleem"], ignored=crew["Windjammer"])
    Alert.objects.all().delete()
    participant = talk.participants.get(user=crew["Windjammer"])
    participant.user = crew["Windjammer"]
    services.reply(author=crew["Windjammer"], participant=participant, body="Hi!")
    assert not Alert.objects.filter(user=crew["Saleem"]).exists()
    assert Alert.objects.filter(user=crew["Desert Hawk"]).exists()


@pytest.mark.parametrize(
    ("privacy", "followed", "allowed"),
    [
        ("everyone", False, True),
        ("followed", False, False),
        ("followed", True, True),
        ("nobody", True, False),
    ],
)
def test_the_recipients_privacy_choice(crew, privacy, followed, allowed):
    saleem = crew["Saleem"]
    members.set_conversation_privacy(member=saleem, privacy=privacy)
    if followed:
        members.follow_member(member=saleem, followed=crew["Windjammer"])
    saleem.refresh_from_db()
    if allowed:
        start(crew["Windjammer"], saleem)
    else:
        with pytest.raises(services.ConversationRefused):
            start(crew["Windjammer"], saleem)


def test_staff_always_may_start_one(crew):
    members.set_conversation_privacy(member=crew["Saleem"], privacy="nobody")
    start(factories.MemberFactory(is_staff=True), User.objects.get(username="Saleem"))


def test_the_privacy_page_saves_the_choice(client, crew):
    login(client, crew["Saleem"])
    response = client.post(
        reverse("members:privacy"), {"conversation_privacy": "followed"}
    )
    assert response.status_code == 302
    assert User.objects.get(username="Saleem").conversation_privacy == "followed"


def test_follow_from_the_profile(client, crew):
    login(client, crew["Saleem"])
    hawk = crew["Desert Hawk"]
    page = client.get(hawk.get_absolute_url()).content.decode()
    assert ">Follow<" in page and "Start conversation" in page
    client.post(reverse("members:follow", args=[hawk.pk]))
    assert hawk.pk in User.objects.get(username="Saleem").followed_members
    page = client.get(hawk.get_absolute_url()).content.decode()
    assert ">Unfollow<" in page


def test_per_role_limits_on_recipients_and_conversations_a_day(crew, settings):
    settings.FORUM_CONVERSATION_LIMITS = LIMITS
    others = [crew["Saleem"], crew["Desert Hawk"], crew["Outsider"]]
    with pytest.raises(services.ConversationRefused, match="at most 2 other"):
        start(crew["Windjammer"], *others)
    start(crew["Windjammer"], crew["Saleem"])
    start(crew["Windjammer"], crew["Desert Hawk"])
    with pytest.raises(services.ConversationRefused, match="2 conversations a day"):
        start(crew["Windjammer"], crew["Outsider"])
    # A moderator's role has room for more.
    mod = factories.MemberFactory(username="Mod")
    from tests.moderation.conftest import make_moderator

    make_moderator(mod)
    start(mod, *others)


def test_recipients_a_day(crew, settings):
    settings.FORUM_CONVERSATION_LIMITS = {
        **LIMITS,
        "member": {"recipients": 2, "per_day": 10, "recipients_per_day": 3},
    }
    start(crew["Windjammer"], crew["Saleem"], crew["Desert Hawk"])
    with pytest.raises(services.ConversationRefused, match="3 members a day"):
        start(crew["Windjammer"], crew["Outsider"], crew["Saleem"])


def test_a_moderator_revokes_the_right_to_start_conversations(client, crew):
    mod = factories.MemberFactory(username="Mod")
    from tests.moderation.conftest import make_moderator

    make_moderator(mod)
    login(client, mod)
    url = reverse("conversations:member_right", args=[crew["Windjammer"].pk])
    client.post(url, {"allowed": "0", "reason": "Cold-contact spam"})
    assert not User.objects.get(username="Windjammer").may_start_conversations
    entry = ModeratorLog.objects.get(action="revoke_conversations")
    assert entry.reason == "Cold-contact spam"
    login(client, User.objects.get(username="Windjammer"))
    response = client.get(reverse("conversations:add"))
    assert response.status_code == 403
    assert b"withdrawn your right" in response.content
    # A plain member may not do it.
    login(client, crew["Saleem"])
    assert client.post(url, {"allowed": "1"}).status_code == 403


def test_a_new_members_message_with_links_waits_for_approval(client, crew):
    newbie = factories.MemberFactory(username="Newbie")
    talk = start(newbie, crew["Saleem"], body="Cheap charts at https://spam.example")
    message = Message.objects.get(conversation=talk)
    assert not message.is_approved and message.position is None
    # The recipient knows nothing of it yet.
    assert User.objects.get(username="Saleem").unread_conversation_count == 0
    login(client, crew["Saleem"])
    assert client.get(talk.get_absolute_url()).status_code == 404
    # Its writer sees it, marked.
    login(client, newbie)
    page = client.get(talk.get_absolute_url()).content.decode()
    assert "waiting for a moderator" in page
    # A moderator approves it from the desk, which is logged.
    mod = factories.MemberFactory(username="Mod")
    from tests.moderation.conftest import make_moderator

    make_moderator(mod)
    login(client, mod)
    desk = client.get(reverse("conversations:desk")).content.decode()
    assert "spam.example" in desk
    client.post(reverse("conversations:held", args=[message.pk]), {"action": "approve"})
    assert User.objects.get(username="Saleem").unread_conversation_count == 1
    assert ModeratorLog.objects.filter(action="approve_message").exists()
    login(client, crew["Saleem"])
    assert "spam.example" in client.get(talk.get_absolute_url()).content.decode()
    assert counter_drift() == {}


def test_a_message_without_links_or_by_a_known_member_does_not_wait(crew):
    newbie = factories.MemberFactory(username="Newbie")
    talk = start(newbie, crew["Saleem"], body="Hello, no links here.")
    assert Message.objects.get(conversation=talk).is_approved


def test_reporting_sends_only_that_message_and_its_context(client, crew):
    talk = start(crew["Windjammer"], crew["Saleem"], body="Opening words.")
    author = talk.participants.get(user=crew["Windjammer"])
    author.user = crew["Windjammer"]
    for n in range(6):
        services.reply(author=crew["Windjammer"], participant=author, body=f"Say {n}")
    reported = Message.objects.get(body="Say 5")  # position 7
    login(client, crew["Saleem"])
    response = client.post(
        reverse("conversations:report", args=[reported.pk]), {"reason": "Abusive"}
    )
    assert response.status_code == 302
    report = MessageReport.objects.get()
    assert [item["position"] for item in report.context] == [5, 6, 7]
    assert ModeratorLog.objects.filter(action="report_message").exists()
    mod = factories.MemberFactory(username="Mod")
    from tests.moderation.conftest import make_moderator

    make_moderator(mod)
    login(client, mod)
    desk = client.get(reverse("conversations:desk")).content.decode()
    assert "Say 5" in desk and "Say 3" in desk and "Opening words" not in desk
    # The moderator still cannot open the conversation itself.
    assert client.get(talk.get_absolute_url()).status_code == 404
    client.post(
        reverse("conversations:report_handle", args=[report.pk]),
        {"outcome": "resolved"},
    )
    assert MessageReport.objects.get().status == "resolved"


def test_rate_limited_through_the_one_helper(client, crew, settings):
    settings.FORUM_RATE_LIMITS = {
        **settings.FORUM_RATE_LIMITS,
        "conversation": (1, 600),
    }
    login(client, crew["Windjammer"])
    data = {"recipients": "Saleem", "title": "One", "body": "First."}
    assert client.post(reverse("conversations:add"), data).status_code == 302
    response = client.post(reverse("conversations:add"), {**data, "title": "Two"})
    assert response.status_code == 200
    assert "Two" in response.content.decode()
    assert Conversation.objects.count() == 1
