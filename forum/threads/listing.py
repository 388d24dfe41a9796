"""A forum page's sort and filters: what the URL asks for, and the statements that
answer it.

The choice lives in the query string (`?sort=replies&prefix=2`), so a listing is
shareable and a shared render is keyed by it (forum/core/perviewer.py keys by the
full URL). Filters that depend on who is looking ("unread only", "watched only")
make the page one rendered for the viewer alone (`ListingChoice.per_viewer`).

The default listing (last post, newest first, no filter) is
forum.threads.selectors._listing, untouched. Every other listing reads stickies
and the other threads as two ranges of one index each (`thread_by_*_idx`,
`thread_prefix_idx`: (forum, is_sticky, column, id) without deleted threads),
which either direction reads in order: stickies first on the first page, then
the page of the others by OFFSET, never a sort of the whole forum.

"Watched only" is offered by an app above (forum.notifications) through
`register_viewer_filter`: a SQL condition on the thread `t` and the viewer.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.http import QueryDict
from django.utils import timezone

# name -> (column, the direction it starts in, label)
SORTS = {
    "last_post": ("last_post_at", "desc", "Last reply"),
    "started": ("created_at", "desc", "Start date"),
    "replies": ("reply_count", "desc", "Replies"),
    "views": ("view_count", "desc", "Views"),
    "title": ("title", "asc", "Title"),
}
DEFAULT_SORT = "last_post"
STICKY_LIMIT = 50  # a forum pins a handful; a page never shows more than this
COUNT_LIMIT = 10_000  # a filtered listing counts this far (500 pages of 20)


@dataclass(frozen=True)
class ViewerFilter:
    name: str  # the query parameter (`?watched=1`)
    label: str
    sql: str  # a condition on `t`, with %(viewer)s the member's id


_viewer_filters: dict[str, ViewerFilter] = {}


def register_viewer_filter(item: ViewerFilter) -> None:
    """A filter that depends on the member looking (registered in an app's
    ready(); registering a name again replaces it)."""
    _viewer_filters[item.name] = item


def viewer_filters() -> list[ViewerFilter]:
    return list(_viewer_filters.values())


@dataclass(frozen=True)
class ListingChoice:
    sort: str = DEFAULT_SORT
    direction: str = "desc"
    prefix: int | None = None
    starter: str = ""
    since: date | None = None
    until: date | None = None
    unread: bool = False
    mine: tuple[str, ...] = field(default=())  # viewer filters asked for
    # The sort was named in the URL: kept there, so that a member who keeps
    # another way for this forum can still ask for the default one.
    explicit: bool = False

    @property
    def is_default(self) -> bool:
        return replace(self, explicit=False) == ListingChoice()

    @property
    def per_viewer(self) -> bool:
        return self.unread or bool(self.mine)

    @property
    def filtered(self) -> bool:
        return (
            bool(self.prefix or self.starter or self.since or self.until)
            or self.per_viewer
        )

    def query(self, **changes) -> str:
        """The query string of this choice (with `changes`), in one canonical
        order and without defaults: "" for the default listing."""
        choice = replace(self, **changes)
        params = QueryDict(mutable=True)
        first = SORTS[choice.sort][1]
        if choice.explicit or choice.sort != DEFAULT_SORT or choice.direction != first:
            params["sort"] = choice.sort
            if choice.direction != SORTS[choice.sort][1]:
                params["direction"] = choice.direction
        if choice.prefix:
            params["prefix"] = str(choice.prefix)
        if choice.starter:
            params["starter"] = choice.starter
        if choice.since:
            params["since"] = choice.since.isoformat()
        if choice.until:
            params["until"] = choice.until.isoformat()
        if choice.unread:
            params["unread"] = "1"
        for name in choice.mine:
            params[name] = "1"
        return params.urlencode()

    def sort_links(self) -> list[dict]:
        """Each sort with its URL query: choosing the current one turns it round."""
        links = []
        for name, (_column, first, label) in SORTS.items():
            current = name == self.sort
            direction = first
            if current:
                direction = "asc" if self.direction == "desc" else "desc"
            links.append(
                {
                    "name": name,
                    "label": label,
                    "current": current,
                    "direction": self.direction if current else "",
                    "query": self.query(sort=name, direction=direction, explicit=True),
                }
            )
        return links


def _date(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def parse(params, *, member: bool, prefixes=()) -> ListingChoice:
    """The choice a query string asks for; whatever it cannot mean is dropped
    (an unknown sort, a prefix not offered here, a date that is no date, the
    viewer's own filters asked by a guest)."""
    sort = params.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    direction = params.get("direction", SORTS[sort][1])
    if direction not in ("asc", "desc"):
        direction = SORTS[sort][1]
    try:
        prefix = int(params.get("prefix") or 0) or None
    except ValueError:
        prefix = None
    if prefix not in set(prefixes):
        prefix = None
    since, until = _date(params.get("since")), _date(params.get("until"))
    if since and until and since > until:
        since, until = until, since
    mine = ()
    if member:
        mine = tuple(f.name for f in viewer_filters() if params.get(f.name) == "1")
    return ListingChoice(
        sort=sort,
        direction=direction,
        prefix=prefix,
        starter=" ".join(params.get("starter", "").split())[:50],
        since=since,
        until=until,
        unread=member and params.get("unread") == "1",
        mine=mine,
        explicit="sort" in params and sort == params.get("sort"),
    )


# --- the statements ---------------------------------------------------------------

_UNREAD = """t.last_post_at > %(horizon)s
 AND t.last_post_at > COALESCE((SELECT r.read_at FROM threads_noderead r
     WHERE r.user_id = %(viewer)s AND r.node_id = t.node_id), '-infinity')
 AND NOT EXISTS (SELECT 1 FROM threads_threadread r WHERE r.user_id = %(viewer)s
     AND r.thread_id = t.id AND r.last_read_position >= t.last_post_position)"""


def _zone_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def conditions(choice: ListingChoice, *, viewer_id, starter_id, horizon) -> tuple:
    """The WHERE clause beyond the forum and deletion, and its parameters."""
    where, params = [], {}
    if choice.prefix:
        where.append("t.prefix_id = %(prefix)s")
        params["prefix"] = choice.prefix
    if choice.starter:
        where.append("t.starter_id = %(starter)s")
        params["starter"] = starter_id or 0  # nobody by that name: no threads
    if choice.since:
        where.append("t.created_at >= %(since)s")
        params["since"] = _zone_start(choice.since)
    if choice.until:
        where.append("t.created_at < %(until)s")
        params["until"] = _zone_start(choice.until + timedelta(days=1))
    if choice.per_viewer:
        params["viewer"] = viewer_id
    if choice.unread:
        where.append(_UNREAD)
        params["horizon"] = horizon
    for name in choice.mine:
        where.append(_viewer_filters[name].sql)
    return where, params


def statements(choice: ListingChoice, columns: str, joins: str, where: list) -> dict:
    """The SQL of a listing other than the default: "page" and
    "page_with_stickies" (stickies first: a `grp` column says which), "count"
    (the threads that match and are not stickies, for a filtered listing) and
    "stickies" (for one only sorted: the forum's count less these)."""
    column = SORTS[choice.sort][0]
    direction = "ASC" if choice.direction == "asc" else "DESC"
    base = " AND ".join(["t.node_id = %(node)s", "NOT t.is_deleted", *where])
    order = f"ORDER BY t.{column} {direction}, t.id {direction}"
    part = (
        "(SELECT {grp} AS grp, "
        + columns
        + " FROM threads_thread t "
        + joins
        + " WHERE "
        + base
        + " AND {sticky} "
        + order
        + " LIMIT {limit}{offset})"
    )
    stickies = part.format(grp=0, sticky="t.is_sticky", limit=STICKY_LIMIT, offset="")
    others = part.format(
        grp=1,
        sticky="NOT t.is_sticky",
        limit="%(limit)s",
        offset=" OFFSET %(offset)s",
    )
    outer = f"ORDER BY grp, {column} {direction}, id {direction}"
    return {
        "page": others,  # one part: already in order
        "page_with_stickies": f"{stickies} UNION ALL {others} {outer}",
        # Filtered: how many match, counted up to COUNT_LIMIT (a range of an
        # index, or of the filter's own: never the whole forum for a page).
        "count": "SELECT count(*) FROM (SELECT 1 FROM threads_thread t WHERE "
        + base
        + " AND NOT t.is_sticky LIMIT %(cap)s) s",
        # Not filtered: the forum's own count less its stickies (a few index rows).
        "stickies": "SELECT count(*) FROM threads_thread t"
        " WHERE t.node_id = %(node)s AND NOT t.is_deleted AND t.is_sticky",
    }
