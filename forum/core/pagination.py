"""Page numbers for XenForo-style page navigation: 1 … 4 5 6 … 250."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PageNav:
    current: int
    total: int
    window: list[int | None]  # None marks a gap

    @property
    def has_previous(self) -> bool:
        return self.current > 1

    @property
    def has_next(self) -> bool:
        return self.current < self.total

    @property
    def previous(self) -> int:
        return self.current - 1

    @property
    def next(self) -> int:
        return self.current + 1

    @property
    def is_paginated(self) -> bool:
        return self.total > 1


def page_nav(current: int, total: int, *, around: int = 2) -> PageNav:
    total = max(1, total)
    current = min(max(1, current), total)
    shown = {1, total} | set(range(current - around, current + around + 1))
    window: list[int | None] = []
    last = 0
    for number in sorted(n for n in shown if 1 <= n <= total):
        if number - last > 1:
            window.append(None)
        window.append(number)
        last = number
    return PageNav(current=current, total=total, window=window)


def parse_page(value) -> int:
    try:
        page = int(value)
    except (TypeError, ValueError):
        return 1
    return max(1, min(page, 10**7))
