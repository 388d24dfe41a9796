"""Filters a search may be narrowed by beyond its own (thread prefixes, tags...).

A filter is a query-string parameter and a function that narrows the candidate
posts (a queryset of Post, already matched and visible) by its value. Register
one in an AppConfig.ready():

    filters.register(SearchFilter(
        name="prefix",                      # ?prefix=3
        narrow=lambda posts, value: posts.filter(thread__prefix_id=int(value)),
        sample=lambda: "3",                 # a value for `manage.py benchmark_search`
    ))

Values reach `search_posts` in `SearchParams.extra` as (name, value) pairs; a
filter whose `narrow` raises ValueError for a value ignores it.
"""

from collections.abc import Callable
from dataclasses import dataclass

_registry: dict[str, "SearchFilter"] = {}


@dataclass(frozen=True)
class SearchFilter:
    name: str
    narrow: Callable  # (posts, value: str) -> posts
    label: str = ""
    sample: Callable[[], str | None] | None = None  # a typical value on this board


def register(search_filter: SearchFilter) -> None:
    _registry[search_filter.name] = search_filter


def registered() -> list[SearchFilter]:
    return list(_registry.values())


def from_query(query_dict) -> tuple:
    """The (name, value) pairs of the registered filters in a query string."""
    return tuple(
        (name, value)
        for name in _registry
        for value in query_dict.getlist(name)
        if value.strip()
    )


def apply(posts, params, query=None):
    for name, value in params.extra:
        search_filter = _registry.get(name)
        if search_filter is None:
            continue
        try:
            posts = search_filter.narrow(posts, value)
        except ValueError:
            continue
    return posts
