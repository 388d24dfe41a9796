"""Pinned query budgets: the inbox and a conversation page cost the same for one
conversation or forty, one message or a full page."""

from forum.conversations import services
from forum.conversations.models import Participant
from tests.conversations.conftest import login
from tests.querycount import queries_for

# Session, member, the count, the page of rows with their conversations, the
# names of the participants on it.
INBOX_BUDGET = 5
# A search adds the rate limit's statements (the database cache in tests; Redis
# in production).
INBOX_SEARCH_BUDGET = INBOX_BUDGET + 6
# Session, member, the viewer's participant row with its conversation, the
# page of messages with their authors, the participants with their names, the
# reply box's draft and pending uploads (the composer's).
CONVERSATION_BUDGET = 7


def _many_conversations(crew, n):
    for i in range(n):
        services.start_conversation(
            starter=crew["Saleem"],
            title=f"Topic {i}",
            recipients=[crew["Windjammer"], crew["Desert Hawk"]],
            body=f"Message {i}.",
        )


def test_the_inbox_queries_do_not_grow_with_conversations(client, crew, settings):
    settings.FORUM_CONVERSATION_LIMITS = {
        role: {"recipients": 10, "per_day": 100, "recipients_per_day": 1000}
        for role in ("member", "moderator", "staff")
    }
    _many_conversations(crew, 1)
    login(client, crew["Windjammer"])
    client.get("/conversations/")  # the first visit of the day moves "last seen"
    one = queries_for(client, "/conversations/")
    _many_conversations(crew, 39)
    many = queries_for(client, "/conversations/")
    assert len(many) == len(one) <= INBOX_BUDGET, "\n".join(many)
    searched = queries_for(client, "/conversations/?q=topic")
    assert len(searched) <= INBOX_SEARCH_BUDGET, "\n".join(searched)


def test_a_conversation_page_queries_do_not_grow_with_messages(client, crew, talk):
    login(client, crew["Windjammer"])
    client.get(talk.get_absolute_url())  # read: a reread writes nothing
    one = queries_for(client, talk.get_absolute_url())
    saleem = Participant.objects.get(conversation=talk, user=crew["Saleem"])
    saleem.user = crew["Saleem"]
    hawk = Participant.objects.get(conversation=talk, user=crew["Desert Hawk"])
    hawk.user = crew["Desert Hawk"]
    for n in range(10):
        for writer in (saleem, hawk):
            services.reply(author=writer.user, participant=writer, body=f"Line {n}")
    client.get(talk.get_absolute_url())
    many = queries_for(client, talk.get_absolute_url())
    assert len(many) == len(one) <= CONVERSATION_BUDGET, "\n".join(many)
