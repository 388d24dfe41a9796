"""The query kinds of `manage.py benchmark_search`, chosen from the board."""

from collections import Counter
from dataclasses import dataclass, replace

from django.contrib.auth import get_user_model
from django.db.models import Count

from forum.search import filters, selectors
from forum.threads.models import Node, Prefix, Tag, Thread


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # what is searched, for the table
    params: selectors.SearchParams
    user: object
    page: int = 1


def _title_words(limit: int = 400) -> list[str]:
    """The commonest words of recent thread titles, longest first among equals."""
    titles = Thread.objects.visible().order_by("-id").values_list("title", flat=True)
    counts = Counter(
        word.lower()
        for title in titles[:limit]
        for word in title.split()
        if word.isalpha() and len(word) > 4
    )
    return [word for word, _ in counts.most_common(20)]


def query_kinds() -> list[Kind]:
    users = get_user_model().objects.filter(is_active=True)
    member = users.order_by("-message_count", "id").first()
    viewer = users.filter(is_staff=False).order_by("id").first() or member
    words = _title_words() or ["strategic", "defence"]
    one, two = words[0], words[min(1, len(words) - 1)]
    rare = words[-1]
    phrase_title = (
        Thread.objects.visible().filter(title__icontains=one).order_by("-id").first()
    )
    phrase = " ".join(phrase_title.title.split()[:2]) if phrase_title else one
    forum = Node.objects.forums().order_by("-thread_count", "id").first()
    base = selectors.SearchParams(q=one)
    kinds = [
        Kind("one word", one, base, viewer),
        Kind("one rare word", rare, replace(base, q=rare), viewer),
        Kind("two words", f"{one} {two}", replace(base, q=f"{one} {two}"), viewer),
        Kind("phrase", f'"{phrase}"', replace(base, q=f'"{phrase}"'), viewer),
        Kind("titles only", one, replace(base, titles_only=True), viewer),
        Kind(
            "titles only (two words)",
            f"{one} {two}",
            replace(base, q=f"{one} {two}", titles_only=True),
            viewer,
        ),
        Kind("one word, page 5", one, base, viewer, page=5),
    ]
    if member:
        kinds.append(
            Kind(
                "member-filtered",
                f"{one} by {member.username}",
                replace(base, member=member.username),
                viewer,
            )
        )
    if forum:
        kinds.append(
            Kind(
                "forum-filtered",
                f"{one} in {forum.title}",
                replace(base, node_id=forum.pk),
                viewer,
            )
        )
    small = (
        Node.objects.forums()
        .filter(thread_count__gt=0)
        .order_by("thread_count", "id")
        .first()
    )
    if small and small != forum:
        for word in dict.fromkeys((one, two)):
            kinds.append(
                Kind(
                    f"small forum ({word})",
                    f"{word} in {small.title}",
                    replace(base, q=word, node_id=small.pk),
                    viewer,
                )
            )
    kinds.append(Kind("grouped per thread", one, replace(base, group=True), viewer))
    commonest = (
        Thread.objects.visible()
        .filter(prefix__isnull=False)
        .values("prefix_id")
        .annotate(used=Count("id"))
        .order_by("-used", "prefix_id")
        .first()
    )
    prefix = Prefix.objects.get(pk=commonest["prefix_id"]) if commonest else None
    if prefix:
        kinds.append(
            Kind(
                "prefix-filtered",
                f"{one} prefix={prefix.label}",
                replace(base, prefix_id=prefix.pk),
                viewer,
            )
        )
    tag = Tag.objects.filter(synonym_of__isnull=True).order_by("-thread_count").first()
    if tag and tag.thread_count:
        kinds.append(
            Kind(
                "tag-filtered",
                f"{one} tag={tag.name}",
                replace(base, tag=tag.name),
                viewer,
            )
        )
        kinds.append(
            Kind(
                "tag-filtered, titles only",
                f"{one} tag={tag.name}",
                replace(base, tag=tag.name, titles_only=True),
                viewer,
            )
        )
    for search_filter in filters.registered():  # prefixes, tags... when installed
        value = search_filter.sample() if search_filter.sample else None
        if value is not None:
            params = replace(base, extra=((search_filter.name, value),))
            label = f"{one} {search_filter.name}={value}"
            kinds.append(Kind(f"{search_filter.name}-filtered", label, params, viewer))
    return kinds


def run_kind(kind: Kind) -> int:
    results = selectors.search_posts(kind.user, kind.params, kind.page)
    return results.total
