"""Reactions, the reads: the summary line under each post ("You, Saleem and 3
others"), the React control's choices, and the page of who reacted. The writes and
the counters' invariants are forum/posts/reactions.py."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

from forum.core import pagecache
from forum.policy import can_react
from forum.posts.models import Post, Reaction, ReactionType
from forum.posts.reactions import RECENT_REACTORS


@dataclass
class ReactionSummary:
    """What the summary line under a post and its React control show."""

    post_id: int
    total: int
    top: list[ReactionType] = field(default_factory=list)  # most given first
    names: list[str] = field(default_factory=list)  # "You" first if the viewer
    others: int = 0
    mine: ReactionType | None = None
    choices: list[ReactionType] = field(default_factory=list)
    can_react: bool = False
    error: str = ""

    @property
    def phrase(self) -> str:
        """ "You, Windjammer and 12 others", "Saleem and Khan", "Windjammer"."""
        names = list(self.names)
        if self.others:
            tail = f"{self.others} other{'s' if self.others != 1 else ''}"
            return ", ".join(names) + f" and {tail}" if names else tail
        if len(names) <= 1:
            return "".join(names)
        return ", ".join(names[:-1]) + f" and {names[-1]}"


_TYPES_KEY = "reaction-types"


def reaction_types() -> list[ReactionType]:
    """Every reaction type, in display order: asked on every member's thread page,
    so kept in the "pages" cache (forgotten when a type changes: forum.posts.apps)."""
    cache = caches["pages"]
    types = cache.get(_TYPES_KEY)
    if types is None:
        types = list(ReactionType.objects.all())
        cache.set(_TYPES_KEY, types, 3600)
    return types


def forget_reaction_types() -> None:
    """A type was added, changed or removed: every page that shows one changes."""
    caches["pages"].delete(_TYPES_KEY)
    transaction.on_commit(lambda: caches["pages"].delete(_TYPES_KEY))
    pagecache.invalidate("site")


def _summary(post, *, user, mine_id, types_by_id, choices, can) -> ReactionSummary:
    counts = {int(k): v for k, v in (post.reaction_counts or {}).items() if v > 0}
    ranked = sorted(
        (t for t in (types_by_id.get(i) for i in counts) if t is not None),
        key=lambda t: (-counts[t.pk], t.display_order, t.pk),
    )
    mine = types_by_id.get(mine_id) if mine_id else None
    recent = [r for r in (post.recent_reactors or []) if isinstance(r, dict)]
    if mine is not None:
        names = ["You"] + [r["name"] for r in recent if r.get("id") != user.pk]
    else:
        names = [r["name"] for r in recent]
    total = post.reaction_total
    names = names[:RECENT_REACTORS] if total <= RECENT_REACTORS else names[:2]
    names = names[:total]
    own_choices = choices
    if mine is not None and mine not in choices:  # a retired type stays removable
        own_choices = choices + [mine]
    return ReactionSummary(
        post_id=post.pk,
        total=total,
        top=ranked[:3],
        names=names,
        others=max(total - len(names), 0),
        mine=mine,
        choices=own_choices if can else [],
        can_react=can,
    )


def reaction_summaries(user, posts) -> dict[int, ReactionSummary]:
    """Summary line and React control for each post, in at most two queries
    whatever the number of posts: the reaction types (usually cached), and the
    viewer's own reactions on the posts that have any, unless each post carries
    it as `my_reaction_id`. Each post needs `.thread` loaded."""
    posts = list(posts)
    allowed = {post.pk: can_react(user, post) for post in posts}
    reacted = [p.pk for p in posts if p.reaction_total > 0]
    # A page nobody reacted on, seen by a guest, costs no query at all.
    types = reaction_types() if reacted or any(allowed.values()) else []
    types_by_id = {t.pk: t for t in types}
    choices = [t for t in types if t.is_active]
    mine: dict[int, int] = {}
    if user.is_authenticated and all(hasattr(p, "my_reaction_id") for p in posts):
        # The posts came with the viewer's reactions (forum.posts.selectors).
        mine = {p.pk: p.my_reaction_id for p in posts if p.my_reaction_id}
    elif user.is_authenticated and reacted:
        mine = dict(
            Reaction.objects.filter(user_id=user.pk, post_id__in=reacted).values_list(
                "post_id", "reaction_type_id"
            )
        )
    return {
        post.pk: _summary(
            post,
            user=user,
            mine_id=mine.get(post.pk),
            types_by_id=types_by_id,
            choices=choices,
            can=allowed[post.pk],
        )
        for post in posts
    }


def attach_reactions(user, rows) -> None:
    """Give each thread-page row its `reactions` summary and `can_react`."""
    summaries = reaction_summaries(user, [row.post for row in rows])
    for row in rows:
        row.reactions = summaries[row.post.pk]
        row.can_react = row.reactions.can_react


@dataclass
class ReactorsPage:
    post: Post
    tabs: list[tuple[ReactionType | None, int]]  # (None, total) is "All"
    selected: ReactionType | None
    reactions: list[Reaction]
    page: int
    pages: int


def reactors_page(post: Post, *, type_id: int | None, page: int) -> ReactorsPage:
    """Who reacted to a post, newest first, optionally one type; the counts for
    the tabs come from the post's denormalized counters."""
    per_page = getattr(settings, "FORUM_REACTIONS_PER_PAGE", 50)
    types = reaction_types()
    counts = {int(k): v for k, v in (post.reaction_counts or {}).items() if v > 0}
    tabs: list[tuple[ReactionType | None, int]] = [(None, post.reaction_total)]
    tabs += [(t, counts[t.pk]) for t in types if t.pk in counts]
    selected = next((t for t in types if t.pk == type_id and t.pk in counts), None)
    total = counts[selected.pk] if selected else post.reaction_total
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    qs = Reaction.objects.filter(post=post)
    if selected:
        qs = qs.filter(reaction_type=selected)
    start = (page - 1) * per_page
    rows = list(
        qs.select_related("user", "reaction_type").order_by("-created_at", "-id")[
            start : start + per_page
        ]
    )
    return ReactorsPage(
        post=post, tabs=tabs, selected=selected, reactions=rows, page=page, pages=pages
    )
