"""A small board for the phone, moderation and account-safety browser tests:
a forum with a thread of a few posts (one quoting another), its author, a
reader, a moderator of the forum and a staff member."""

from dataclasses import dataclass

from forum.moderation.models import Moderator
from forum.policy import snapshot as policy
from tests import factories

PASSWORD = "demo-password"


@dataclass
class Board:
    node: object
    thread: object
    author: object
    reader: object
    moderator: object
    admin: object


def make_board(*, replies: int = 3) -> Board:
    factories.default_reaction_types()
    author = factories.MemberFactory(username="Desert Hawk")
    reader = factories.MemberFactory(username="Ayesha R.")
    moderator = factories.MemberFactory(username="Sergeant")
    admin = factories.MemberFactory(username="Admiral", is_staff=True)
    category = factories.CategoryFactory(title="Pakistan")
    node = factories.ForumFactory(title="Pakistan Defence", parent=category)
    Moderator.objects.create(user=moderator, node=node)
    policy.bump_version()
    thread = factories.make_thread(
        author=author,
        node=node,
        title="Tank numbers on the eastern border",
        body="How many tanks are there, and where are they kept?",
        replies=replies,
        repliers=[reader, author],
    )
    factories.reply(
        author=author,
        thread=thread,
        body=(
            f'[QUOTE="Ayesha R., post: {thread.first_post_id}, member: {reader.pk}"]'
            "Where are they kept?[/QUOTE]\nIn the depots near the border."
        ),
    )
    thread.refresh_from_db()
    return Board(node, thread, author, reader, moderator, admin)
