"""The user-title ladder, read once per request batch rather than once per card.

It lives in the "pages" cache (Redis, or files on this machine), so filling it on a
page view writes nothing to PostgreSQL; an admin edit reaches other machines within
the five minutes the entry lives.
"""

from django.core.cache import caches

from accounts.models import UserTitle

DEFAULT_LADDER = [
    (0, "New Member"),
    (30, "Member"),
    (100, "Full Member"),
    (500, "Senior Member"),
    (2000, "ELITE MEMBER"),
]
CACHE_KEY = "accounts:title-ladder:v1"


def title_ladder() -> list[tuple[int, str]]:
    cache = caches["pages"]
    ladder = cache.get(CACHE_KEY)
    if ladder is None:
        ladder = (
            list(
                UserTitle.objects.order_by("min_messages").values_list(
                    "min_messages", "title"
                )
            )
            or DEFAULT_LADDER
        )
        cache.set(CACHE_KEY, ladder, 300)
    return ladder


def forget_ladder() -> None:
    caches["pages"].delete(CACHE_KEY)


def title_for(user, ladder: list[tuple[int, str]] | None = None) -> str:
    if user is None:
        return ""
    if user.custom_title:
        return user.custom_title
    title = ""
    for minimum, name in ladder if ladder is not None else title_ladder():
        if user.message_count >= minimum:
            title = name
    return title
