"""Reads for the member pages: a profile with the member's recent posts and
threads, the members list; and the fetch-and-authorize lookup of a member."""

import html
import math
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.text import Truncator

from accounts.titles import title_for, title_ladder
from accounts.validators import MAX_LENGTH as USERNAME_MAX_LENGTH
from accounts.validators import normalize_username
from forum.core.pagination import PageNav, page_nav
from forum.policy import can_ignore, can_view_profile, ignores
from forum.posts.models import Post
from forum.threads.models import Thread

User = get_user_model()

MEMBERS_PER_PAGE = 50
RECENT_THREADS = 10
# ?order= on the members list: (label, ordering). The first is the default.
MEMBER_ORDERS = {
    "messages": ("Messages", ("-message_count", "pk")),
    "reactions": ("Reaction score", ("-reaction_score", "pk")),
    "joined": ("Newest", ("-date_joined", "-pk")),
}


def last_seen_label(when: datetime | None, now: datetime | None = None) -> str:
    """Coarse on purpose: "Today", "Yesterday", or the date; nobody is tracked to
    the minute."""
    if when is None:
        return ""
    now = timezone.localtime(now or timezone.now())
    local = timezone.localtime(when)
    days = (now.date() - local.date()).days
    if days <= 0:
        return "Today"
    if days == 1:
        return "Yesterday"
    return date_format(local, "M j, Y")


EXCERPT_LENGTH = 240
_INNERMOST_QUOTE = re.compile(
    r"<blockquote\b(?:(?!<blockquote\b).)*?</blockquote>", re.S
)
_BREAKS = re.compile(r"<br\s*/?>|</(?:p|div|li|h\d|pre|summary|details)>", re.I)


def post_excerpt(body_html: str, length: int = EXCERPT_LENGTH) -> str:
    """The post's own words as plain text: quotes of other posts left out, line
    breaks and block ends turned into spaces so words do not run together."""
    text = body_html
    while True:
        without = _INNERMOST_QUOTE.sub(" ", text)
        if without == text:
            break
        text = without
    text = " ".join(html.unescape(strip_tags(_BREAKS.sub(" ", text))).split())
    return Truncator(text).chars(length)


@dataclass
class ProfilePage:
    member: User
    title: str
    last_seen_at: datetime | None  # shown as the day only
    posts: list
    post_count: int
    nav: PageNav
    threads: list
    thread_count: int
    is_self: bool
    can_ignore: bool = False  # or stop ignoring: whether the button is there


def _visible_posts(viewer, member):
    return Post.objects.listed_for(viewer).filter(author=member)


def profile_page(viewer, member, page: int) -> ProfilePage:
    """The member's facts plus their recent visible posts (newest first, paged) and
    the threads they started that are still visible."""
    per_page = settings.FORUM_POSTS_PER_PAGE
    posts_qs = _visible_posts(viewer, member)
    # The member's counter, not a COUNT(*): that scan took 280 ms for a member with
    # 36,000 posts on the 1M-post benchmark board. It counts exactly the visible
    # posts in visible threads (recount agrees); posts in forums this viewer may not
    # see are in it too, so the last page may come out short.
    post_count = max(0, member.message_count - member.imported_messages)
    nav = page_nav(page, math.ceil(post_count / per_page))
    start = (nav.current - 1) * per_page
    posts = list(
        posts_qs.select_related("thread").order_by("-created_at", "-pk")[
            start : start + per_page
        ]
    )
    for post in posts:
        post.excerpt = post_excerpt(post.body_html)
    threads_qs = Thread.objects.visible().filter(starter=member)
    is_self = viewer.is_authenticated and viewer.pk == member.pk
    show_last_seen = member.show_last_seen or is_self
    return ProfilePage(
        member=member,
        title=title_for(member),
        last_seen_at=member.last_seen_at if show_last_seen else None,
        posts=posts,
        post_count=post_count,
        nav=nav,
        threads=list(threads_qs.order_by("-created_at")[:RECENT_THREADS]),
        thread_count=threads_qs.count(),
        is_self=is_self,
        can_ignore=can_ignore(viewer, member) or ignores(viewer, member.pk),
    )


@dataclass
class MemberRow:
    member: User
    title: str


@dataclass
class MembersPage:
    rows: list[MemberRow]
    nav: PageNav
    order: str
    query: str
    total: int
    orders: list[tuple[str, str]]

    @property
    def page_query(self) -> str:
        """The list's other parameters, to put before page=N in page links."""
        params = {"order": self.order}
        if self.query:
            params["q"] = self.query
        return urlencode(params) + "&"


def parse_member_order(value) -> str:
    return value if value in MEMBER_ORDERS else next(iter(MEMBER_ORDERS))


def members_page(*, order: str, query: str, page: int) -> MembersPage:
    """Active members, 50 a page, sorted by one of MEMBER_ORDERS; `query` keeps
    the names that start with it (ignoring case)."""
    order = parse_member_order(order)
    query = normalize_username(query)[:USERNAME_MAX_LENGTH]
    qs = User.objects.active().filter(is_deleted_member=False)
    if query:
        qs = qs.filter(username__istartswith=query)
    total = qs.count()
    nav = page_nav(page, math.ceil(total / MEMBERS_PER_PAGE))
    start = (nav.current - 1) * MEMBERS_PER_PAGE
    members = qs.order_by(*MEMBER_ORDERS[order][1])[start : start + MEMBERS_PER_PAGE]
    ladder = title_ladder()
    return MembersPage(
        rows=[MemberRow(member=m, title=title_for(m, ladder)) for m in members],
        nav=nav,
        order=order,
        query=query,
        total=total,
        orders=[(key, label) for key, (label, _) in MEMBER_ORDERS.items()],
    )


def get_member_for_user_or_404(viewer, pk: int):
    member = User.objects.filter(pk=pk).first()
    if member is None or not can_view_profile(viewer, member):
        raise Http404("No such member.")
    return member


def members_by_ids(ids) -> list:
    """These members, by name (the privacy page's lists)."""
    return list(User.objects.filter(pk__in=list(ids or ())).order_by("username"))
