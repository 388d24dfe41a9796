"""Conversations as members see them: starting, replying, unread state and
counts, leaving, inviting, search, permalinks, and who may see what."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from forum.conversations import services
from forum.conversations.models import Conversation, Message, Participant
from forum.notifications.models import Alert
from forum.posts.recount import counter_drift
from tests import factories
from tests.conversations.conftest import login

User = get_user_model()


def fresh(member):
    return User.objects.get(pk=member.pk)


def test_starting_a_conversation_shows_it_unread_to_the_recipients(client, crew):
    login(client, crew["Windjammer"])
    response = client.post(
        reverse("conversations:add"),
        {
            "recipients": "saleem, Desert Hawk",
            "title": "Harbour charts",
            "body": "Who has the [B]1962[/B] charts?",
        },
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == conversation.get_absolute_url()
    assert fresh(crew["Saleem"]).unread_conversation_count == 1
    assert fresh(crew["Desert Hawk"]).unread_conversation_count == 1
    assert fresh(crew["Windjammer"]).unread_conversation_count == 0
    alert = Alert.objects.get(user=crew["Saleem"])
    assert alert.kind == "conversation" and "Harbour charts" in alert.text

    login(client, crew["Saleem"])
    inbox = client.get(reverse("conversations:inbox")).content.decode()
    assert "Harbour charts" in inbox and "conversation-row--unread" in inbox
    assert 'aria-label="Conversations, 1 unread"' in inbox  # the header count
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "<strong>1962</strong>" in page  # the BBCode pipeline of posts
    assert fresh(crew["Saleem"]).unread_conversation_count == 0
    assert not Alert.objects.filter(user=crew["Saleem"], read_at=None).exists()
    assert counter_drift() == {}


def test_bad_input_keeps_what_was_typed(client, crew):
    login(client, crew["Windjammer"])
    response = client.post(
        reverse("conversations:add"),
        {"recipients": "Nobody Here", "title": "My title", "body": "My long text"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "No member is called “Nobody Here”" in page
    assert "My title" in page and "My long text" in page
    assert not Conversation.objects.exists()


def test_one_unread_alert_per_conversation(client, crew, talk):
    saleem = crew["Saleem"]
    windjammer = Participant.objects.get(conversation=talk, user=crew["Windjammer"])
    windjammer.user = crew["Windjammer"]
    for n in range(3):
        services.reply(author=crew["Windjammer"], participant=windjammer, body=f"{n}!")
    assert Alert.objects.filter(user=saleem, read_at=None).count() == 1
    assert fresh(saleem).unread_conversation_count == 1
    talk.refresh_from_db()
    assert talk.message_count == 4 and talk.last_position == 4
    assert counter_drift() == {}


def test_reply_and_permalink(client, crew, talk):
    login(client, crew["Saleem"])
    response = client.post(
        reverse("conversations:reply", args=[talk.pk]), {"body": "I have them."}
    )
    message = Message.objects.get(body="I have them.")
    assert response["Location"] == message.get_absolute_url()
    permalink = client.get(message.get_absolute_url())
    assert permalink["Location"] == f"{talk.get_absolute_url()}#message-{message.pk}"
    assert fresh(crew["Windjammer"]).unread_conversation_count == 1


def test_messages_are_paginated(client, crew, talk, settings):
    settings.RATE_LIMITS_ENABLED = False
    author = Participant.objects.get(conversation=talk, user=crew["Saleem"])
    author.user = crew["Saleem"]
    for n in range(25):
        services.reply(author=crew["Saleem"], participant=author, body=f"Line {n}")
    login(client, crew["Windjammer"])
    unread = client.get(reverse("conversations:unread", args=[talk.pk]))
    assert unread["Location"] == f"{talk.get_absolute_url()}#m2"
    first = client.get(talk.get_absolute_url()).content.decode()
    assert "Line 18" in first and "Line 19" not in first
    unread = client.get(reverse("conversations:unread", args=[talk.pk]))
    assert unread["Location"].endswith("/page-2#m21")
    second = client.get(reverse("conversations:page", args=[talk.pk, 2]))
    assert "Line 24" in second.content.decode()
    assert User.objects.get(pk=crew["Windjammer"].pk).unread_conversation_count == 0


@pytest.mark.parametrize(
    "name", ["view", "page", "unread", "reply", "invite", "leave", "star"]
)
def test_every_url_is_a_404_for_a_non_participant_staff_included(
    client, crew, talk, name
):
    args = [talk.pk, 1] if name == "page" else [talk.pk]
    url = reverse(f"conversations:{name}", args=args)
    for outsider in (crew["Outsider"], factories.MemberFactory(is_staff=True)):
        login(client, outsider)
        assert client.get(url).status_code in (404, 405)
        assert client.post(url, {"body": "Let me in"}).status_code == 404
    message = talk.messages.get()
    for name in ("message", "report"):
        url = reverse(f"conversations:{name}", args=[message.pk])
        assert client.get(url).status_code == 404


def test_leave_and_ignore_future_messages(client, crew, talk):
    hawk = crew["Desert Hawk"]
    login(client, hawk)
    client.post(reverse("conversations:leave", args=[talk.pk]), {"ignore": "1"})
    assert fresh(hawk).unread_conversation_count == 0
    assert not Alert.objects.filter(user=hawk, read_at=None).exists()
    saleem = Participant.objects.get(conversation=talk, user=crew["Saleem"])
    saleem.user = crew["Saleem"]
    services.reply(author=crew["Saleem"], participant=saleem, body="Found them.")
    assert fresh(hawk).unread_conversation_count == 0
    inbox = client.get(reverse("conversations:inbox")).content.decode()
    assert "Harbour charts" not in inbox
    left = client.get(reverse("conversations:inbox") + "?filter=left")
    assert "Harbour charts" in left.content.decode()
    page = client.get(talk.get_absolute_url()).content.decode()
    assert "Found them." not in page  # said after they left
    assert counter_drift() == {}


def test_plain_leave_comes_back_with_the_next_message(client, crew, talk):
    hawk = crew["Desert Hawk"]
    login(client, hawk)
    client.post(reverse("conversations:leave", args=[talk.pk]), {"ignore": "0"})
    saleem = Participant.objects.get(conversation=talk, user=crew["Saleem"])
    saleem.user = crew["Saleem"]
    services.reply(author=crew["Saleem"], participant=saleem, body="Back?")
    assert fresh(hawk).unread_conversation_count == 1
    assert (
        "Harbour charts" in client.get(reverse("conversations:inbox")).content.decode()
    )


def test_star_and_search_within_own_conversations(client, crew, talk):
    login(client, crew["Saleem"])
    client.post(reverse("conversations:star", args=[talk.pk]))
    starred = client.get(reverse("conversations:inbox") + "?filter=starred")
    assert "Harbour charts" in starred.content.decode()
    found = client.get(reverse("conversations:inbox") + "?q=charts")
    assert "Harbour charts" in found.content.decode()
    missing = client.get(reverse("conversations:inbox") + "?q=submarine")
    assert "Harbour charts" not in missing.content.decode()
    login(client, crew["Outsider"])
    theirs = client.get(reverse("conversations:inbox") + "?q=charts")
    assert "Harbour charts" not in theirs.content.decode()
    site = client.get(reverse("search:search") + "?q=charts")
    assert "Harbour" not in site.content.decode()


def test_invite_only_when_the_starter_allows(client, crew, talk):
    login(client, crew["Saleem"])
    url = reverse("conversations:invite", args=[talk.pk])
    assert client.post(url, {"recipients": "Outsider"}).status_code == 403
    login(client, crew["Windjammer"])
    response = client.post(url, {"recipients": "Outsider"})
    assert response.status_code == 302
    assert fresh(crew["Outsider"]).unread_conversation_count == 1
    assert counter_drift() == {}


def test_recount_repairs_the_counters(crew, talk):
    User.objects.update(unread_conversation_count=7)
    Conversation.objects.update(message_count=9)
    assert counter_drift() != {}
    from django.core.management import call_command

    call_command("recount")
    assert counter_drift() == {}
    assert fresh(crew["Saleem"]).unread_conversation_count == 1


def test_a_deleted_members_messages_name_them_by_their_new_name(client, crew, talk):
    windjammer, saleem = crew["Windjammer"], crew["Saleem"]
    participant = talk.participants.get(user=windjammer)
    services.reply(author=windjammer, participant=participant, body="Found them.")
    from forum.members import services as member_services

    member_services.delete_account(member=windjammer)

    name = f"Deleted member {windjammer.pk}"
    page = login(client, saleem).get(talk.get_absolute_url()).content.decode()
    assert "Found them." in page and name in page
    assert "Windjammer" not in page
    inbox = client.get("/conversations/").content.decode()
    assert "Harbour charts" in inbox and "Windjammer" not in inbox
