"""The demo board's members: the seed page's, with the totals their cards show,
and a few more."""

import random
from datetime import UTC, datetime, timedelta

DEMO_PASSWORD = "demo"
ADMIN_PASSWORD = "admin"

# (username, joined, imported messages, imported reaction score, country, location,
#  custom title)
SEED_MEMBERS = [
    (
        "Windjammer",
        datetime(2009, 11, 9, 14, 5, tzinfo=UTC),
        41_319,
        181,
        "PK",
        "United Kingdom",
        "",
    ),
    (
        "Saleem",
        datetime(2011, 3, 2, 9, 30, tzinfo=UTC),
        8_214,
        1_932,
        "PK",
        "Lahore",
        "",
    ),
    (
        "Desert Hawk",
        datetime(2012, 6, 18, 20, 0, tzinfo=UTC),
        2_377,
        410,
        "PK",
        "Rawalpindi",
        "",
    ),
    (
        "Moscow Watcher",
        datetime(2010, 1, 25, 11, 45, tzinfo=UTC),
        5_902,
        744,
        "RU",
        "Kazan",
        "",
    ),
    (
        "Blue Marlin",
        datetime(2012, 9, 7, 16, 10, tzinfo=UTC),
        611,
        95,
        "AE",
        "Dubai",
        "",
    ),
    (
        "Ayesha R.",
        datetime(2013, 1, 14, 8, 20, tzinfo=UTC),
        88,
        12,
        "PK",
        "Karachi",
        "",
    ),
    (
        "Indus Raider",
        datetime(2011, 8, 30, 22, 15, tzinfo=UTC),
        14_020,
        2_611,
        "CA",
        "Toronto",
        "",
    ),
    ("Kashif_K", datetime(2013, 3, 3, 13, 0, tzinfo=UTC), 12, 1, "PK", "Quetta", ""),
    (
        "Norah Lindqvist",
        datetime(2012, 11, 11, 7, 0, tzinfo=UTC),
        1_240,
        388,
        "SE",
        "Uppsala",
        "",
    ),
    (
        "Tariq Mehmood",
        datetime(2010, 5, 5, 5, 5, tzinfo=UTC),
        3_560,
        512,
        "PK",
        "Peshawar",
        "Think Tank Analyst",
    ),
]

EXTRA_MEMBER_NAMES = [
    "Falcon Eye",
    "Sher Khan",
    "Zarvan",
    "Hamza_77",
    "Atlas",
    "Mariam S.",
    "Kestrel",
    "Orion",
    "Bilal Ahmed",
    "Nomad",
    "Sabre",
    "Raven",
]


def create_member(
    User,
    username,
    *,
    joined,
    imported_messages=0,
    imported_score=0,
    country="",
    location="",
    custom_title="",
):
    from allauth.account.models import EmailAddress

    email = f"{username.lower().replace(' ', '.').replace('_', '.')}@example.com"
    user = User.objects.create_user(
        username=username,
        email=email,
        password=DEMO_PASSWORD,
        date_joined=joined,
    )
    User.objects.filter(pk=user.pk).update(
        imported_messages=imported_messages,
        imported_reaction_score=imported_score,
        message_count=imported_messages,
        reaction_score=imported_score,
        country=country,
        location=location,
        custom_title=custom_title,
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    user.refresh_from_db()
    return user


def create_admin(User) -> None:
    """The administrator, unless there is one."""
    if not User.objects.filter(username__iexact="admin").exists():
        admin = User.objects.create_superuser(
            username="admin", email="admin@example.com", password=ADMIN_PASSWORD
        )
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(
            user=admin, email=admin.email, verified=True, primary=True
        )


def create_members(User, rng: random.Random) -> dict:
    """The seed page's members and the extra ones; returns them by name."""
    members = {}
    for username, joined, messages, score, country, location, title in SEED_MEMBERS:
        members[username] = create_member(
            User,
            username,
            joined=joined,
            imported_messages=messages,
            imported_score=score,
            country=country,
            location=location,
            custom_title=title,
        )
    for name in EXTRA_MEMBER_NAMES:
        joined = datetime(2014, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 3000))
        members[name] = create_member(
            User,
            name,
            joined=joined,
            imported_messages=rng.randint(0, 900),
            imported_score=rng.randint(0, 120),
            country=rng.choice(["PK", "GB", "US", "TR", "CN", "DE", ""]),
        )
    return members


def match_seed_card_facts(User):
    """The seed page's cards show totals from the member's whole history: carry
    over what the demo's own posts and reactions do not account for."""
    from django.db.models import F

    for username, _, messages, score, *_ in SEED_MEMBERS:
        user = User.objects.get(username=username)
        here_messages = user.message_count - user.imported_messages
        here_score = user.reaction_score - user.imported_reaction_score
        User.objects.filter(pk=user.pk).update(
            imported_messages=messages - here_messages,
            imported_reaction_score=score - here_score,
            message_count=F("message_count") - user.message_count + messages,
            reaction_score=F("reaction_score") - user.reaction_score + score,
        )
