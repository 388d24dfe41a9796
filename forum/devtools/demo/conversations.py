"""A few private conversations among the demo members (fresh text)."""

from datetime import timedelta

from django.utils import timezone

from forum.conversations import services
from forum.conversations.models import Participant
from forum.notifications.models import Preferences

CONVERSATIONS = [
    (
        "Windjammer",
        ["Saleem"],
        "Sources for the corridor thread",
        [
            (
                "Windjammer",
                "Saleem, before I post the long reply: do you still have "
                "the [B]port tonnage figures[/B] you quoted last spring? I'd rather "
                "cite them than guess.",
            ),
            (
                "Saleem",
                "I do. They are from the provincial yearbook, 2019 edition. "
                "I'll dig out the page numbers tonight.",
            ),
            ("Windjammer", "Perfect, thank you. No rush."),
        ],
    ),
    (
        "Desert Hawk",
        ["Windjammer", "Saleem"],
        "Meet-up in Rawalpindi?",
        [
            (
                "Desert Hawk",
                "A few of us are meeting at the old bookshop on "
                "Saturday afternoon. Anyone from the forum is welcome: tea is on me.",
            ),
            ("Saleem", "I can make it if the motorway is clear. Around four?"),
            (
                "Windjammer",
                "I'm abroad that week, sadly. Take a photo of the map shelf for me.",
            ),
            ("Desert Hawk", "Four it is. I'll post the address here on Friday."),
        ],
    ),
]


def write_conversations(members) -> None:
    """Each conversation started and answered through the services, so every
    counter and unread state is the product's own. The demo mails nobody: its
    members' conversation e-mail is off while it writes (their choice rows,
    made for the purpose, go again)."""
    names = {
        name for starter, others, *_ in CONVERSATIONS for name in [starter, *others]
    }
    users = [members[n] for n in names]
    chose = dict(
        Preferences.objects.filter(user__in=users).values_list(
            "user_id", "email_conversations"
        )
    )
    for user in users:
        Preferences.objects.update_or_create(
            user=user, defaults={"email_conversations": False}
        )
    _write(members)
    Preferences.objects.filter(user__in=users).exclude(user_id__in=chose).delete()
    for user_id, value in chose.items():
        Preferences.objects.filter(user_id=user_id).update(email_conversations=value)


def _write(members) -> None:
    start = timezone.now() - timedelta(days=2)
    for starter, recipients, title, lines in CONVERSATIONS:
        conversation = services.start_conversation(
            starter=members[starter],
            title=title,
            recipients=[members[name] for name in recipients],
            body=lines[0][1],
            now=start,
        )
        for step, (name, body) in enumerate(lines[1:], start=1):
            participant = Participant.objects.select_related("conversation").get(
                conversation=conversation, user=members[name]
            )
            participant.user = members[name]
            services.reply(
                author=members[name],
                participant=participant,
                body=body,
                now=start + timedelta(hours=step * 3),
            )
        start += timedelta(hours=20)
