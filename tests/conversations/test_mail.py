"""A new message's e-mail: through the outbox, once per conversation until it is
read, never to a member who switched it off or ignores the writer."""

from django.urls import reverse

from forum.conversations import services
from forum.core.models import OutgoingMail
from forum.members import services as members
from forum.notifications.services import save_preferences
from tests.conversations.conftest import login


def _reply(talk, member, body):
    participant = talk.participants.get(user=member)
    participant.user = member
    services.reply(author=member, participant=participant, body=body)


def test_one_mail_per_conversation_until_it_is_read(
    client, crew, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        talk = services.start_conversation(
            starter=crew["Windjammer"],
            title="Harbour charts",
            recipients=[crew["Saleem"]],
            body="Have you got them?",
        )
        _reply(talk, crew["Windjammer"], "Any news?")
    mails = OutgoingMail.objects.filter(kind="conversation")
    assert [m.to for m in mails] == [[crew["Saleem"].email]]
    assert "Harbour charts" in mails.get().subject
    login(client, crew["Saleem"])
    client.get(talk.get_absolute_url())  # read
    with django_capture_on_commit_callbacks(execute=True):
        _reply(talk, crew["Windjammer"], "Hello again.")
    assert OutgoingMail.objects.filter(kind="conversation").count() == 2


def test_no_mail_when_switched_off_or_from_someone_ignored(
    crew, django_capture_on_commit_callbacks
):
    save_preferences(user=crew["Saleem"], email_conversations=False)
    members.ignore_member(member=crew["Desert Hawk"], ignored=crew["Outsider"])
    with django_capture_on_commit_callbacks(execute=True):
        talk = services.start_conversation(
            starter=crew["Windjammer"],
            title="Harbour charts",
            recipients=[crew["Saleem"], crew["Desert Hawk"], crew["Outsider"]],
            body="Have you got them?",
        )
    assert OutgoingMail.objects.filter(kind="conversation").count() == 2
    OutgoingMail.objects.all().delete()
    hawk = talk.participants.get(user=crew["Desert Hawk"])
    hawk.user = crew["Desert Hawk"]
    services.mark_read(user=hawk.user, participant=hawk, position=1)  # read
    with django_capture_on_commit_callbacks(execute=True):
        _reply(talk, crew["Outsider"], "Me too.")
    recipients = [m.to for m in OutgoingMail.objects.filter(kind="conversation")]
    assert recipients == [[crew["Windjammer"].email]]


def test_the_preference_is_on_the_preferences_page(client, crew):
    login(client, crew["Saleem"])
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "E-mail me about new conversation messages" in page
