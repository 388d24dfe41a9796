"""Demo data: the seed thread page's forums, members and thread, plus a lively index.

Facts (names, dates, counts, forum names, headlines) come from the captured seed page;
every sentence of post text here is written fresh for the demo.
"""

import random

from django.contrib.auth import get_user_model
from django.db import transaction

from forum.devtools.demo.conversations import write_conversations
from forum.devtools.demo.labels import add_labels
from forum.devtools.demo.members import (
    ADMIN_PASSWORD,
    DEMO_PASSWORD,
    create_admin,
    create_members,
    match_seed_card_facts,
)
from forum.devtools.demo.structure import add_sidebar_widgets, create_forums
from forum.devtools.demo.threads import (
    SEED_THREAD_TITLE,
    add_reactions_and_views,
    write_threads,
)

__all__ = ["ADMIN_PASSWORD", "DEMO_PASSWORD", "SEED_THREAD_TITLE", "load_demo"]


def demo_loaded() -> bool:
    from forum.threads.models import Thread

    return Thread.objects.filter(title=SEED_THREAD_TITLE).exists()


@transaction.atomic
def load_demo(*, log=print) -> None:
    """Create the demo board. Does nothing when it is already there."""
    from forum.posts.recount import recount_all

    User = get_user_model()
    if demo_loaded():
        log("Demo data is already loaded.")
        return
    rng = random.Random(2013)
    create_admin(User)
    forums = create_forums()
    members = create_members(User, rng)
    write_threads(rng, forums, members)
    add_sidebar_widgets(forums)
    add_labels(rng, forums)
    add_reactions_and_views(rng, list(members.values()))
    write_conversations(members)
    recount_all()
    match_seed_card_facts(User)
    log(f"Demo data loaded: {len(forums)} forums, {len(members)} members.")
