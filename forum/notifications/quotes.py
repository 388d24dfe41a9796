"""Quote integrity: every visible post records the posts it quotes (a `Quote`
row each); a quoted post shows "Quoted by 3 posts" with links to those in its
thread; a quote shows "edited since" or "removed since" when the post it quotes
was edited, or deleted, after the quote was made.

What the thread page shows is kept on the posts themselves (Post.addon_data
"quotes", written in the background task that follows each post change), so
the page reads it with the posts and asks no query of its own:

    {"by": [[post id, number], ...], "by_count": 3,     # on a quoted post
     "states": {"12": "edited"}}                          # on a quoting post

The body add-on "quotes" (registered in plugs.py) draws both. Backlinks name
only quoting posts in the same thread: a quote from a forum the reader may not
see must not show even that it exists.
"""

import json
import re

from django.db import connection
from django.db.models import Q

from forum.core.markup import extract_quoted_post_ids
from forum.core.pagecache import invalidate
from forum.notifications.models import Quote
from forum.posts.models import Post

BACKLINKS_SHOWN = 20
LABELS = {Quote.State.EDITED: "Edited since", Quote.State.REMOVED: "Removed since"}


def quoted_posts(post: Post) -> list[Post]:
    """The other visible posts that this post's text quotes."""
    ids = [pk for pk in extract_quoted_post_ids(post.body) if pk != post.pk]
    if not ids:
        return []
    return list(
        Post.objects.filter(pk__in=ids, is_deleted=False, is_approved=True).only(
            "pk", "author_id", "thread_id", "position", "edited_at"
        )
    )


def quoted_member_ids(post: Post, known=()) -> list[int]:
    """Authors of the posts this post quotes, less the posts in `known` (quoted
    already before an edit)."""
    known = set(known)
    return [
        p.author_id for p in quoted_posts(post) if p.author_id and p.pk not in known
    ]


def record(post: Post) -> None:
    """Make the post's Quote rows match its text (a visible post)."""
    wanted = {p.pk for p in quoted_posts(post)}
    had = set(Quote.objects.filter(post=post).values_list("quoted_id", flat=True))
    Quote.objects.filter(post=post, quoted_id__in=had - wanted).delete()
    Quote.objects.bulk_create(
        [Quote(post=post, quoted_id=pk) for pk in sorted(wanted - had)],
        ignore_conflicts=True,
    )
    refresh([post.pk, *(had ^ wanted)])


def forget(post: Post) -> None:
    """The post was hidden: it quotes nothing any more, and its quotes elsewhere
    read "removed since"."""
    quoted = list(Quote.objects.filter(post=post).values_list("quoted_id", flat=True))
    Quote.objects.filter(post=post).delete()
    quoting = _set_state(post, Quote.State.REMOVED)
    refresh([post.pk, *quoted, *quoting])


def edited(post: Post) -> None:
    """The post's text changed: quotes of it read "edited since"; what it
    quotes itself is recorded again."""
    quoting = _set_state(post, Quote.State.EDITED, only_from=Quote.State.SAME)
    record(post)
    refresh(quoting)


def shown(post: Post) -> None:
    """The post was restored: quotes of it read as before it was removed (or
    "edited since", if it was edited after them)."""
    rows = list(Quote.objects.filter(quoted=post, state=Quote.State.REMOVED))
    for row in rows:
        later = post.edited_at is not None and post.edited_at > row.created_at
        row.state = Quote.State.EDITED if later else Quote.State.SAME
    Quote.objects.bulk_update(rows, ["state"])
    record(post)
    refresh([row.post_id for row in rows])


def _set_state(post: Post, state: str, only_from: str | None = None) -> list[int]:
    rows = Quote.objects.filter(quoted=post).exclude(state=state)
    if only_from is not None:
        rows = rows.filter(state=only_from)
    quoting = list(rows.values_list("post_id", flat=True))
    Quote.objects.filter(quoted=post, post_id__in=quoting).update(state=state)
    return quoting


_WRITE_SQL = """
UPDATE posts_post p SET addon_data = (p.addon_data - 'quotes')
  || CASE WHEN v.data = '{}'::jsonb THEN '{}'::jsonb
          ELSE jsonb_build_object('quotes', v.data) END
FROM (SELECT unnest(%(ids)s::bigint[]) AS id,
             unnest(%(data)s::jsonb[]) AS data) v
WHERE p.id = v.id
"""


def refresh(post_ids) -> None:
    """Write what the thread page shows of these posts' quotes (the module
    docstring), and make their threads' pages afresh."""
    ids = sorted({int(pk) for pk in post_ids})
    if not ids:
        return
    posts = {
        p.pk: p
        for p in Post.objects.filter(pk__in=ids).only("pk", "thread_id", "position")
    }
    rows = (
        Quote.objects.filter(Q(post_id__in=ids) | Q(quoted_id__in=ids))
        .select_related("post", "quoted")
        .only("post_id", "quoted_id", "state", "post__thread_id", "post__position")
        .order_by("post__position", "post_id")
    )
    data = {pk: {} for pk in posts}
    for row in rows:
        if (
            row.quoted_id in data
            and row.post.thread_id == posts[row.quoted_id].thread_id
        ):
            entry = data[row.quoted_id]
            entry["by_count"] = entry.get("by_count", 0) + 1
            if len(entry.setdefault("by", [])) < BACKLINKS_SHOWN:
                entry["by"].append([row.post_id, row.post.position + 1])
        if row.post_id in data and row.state:
            data[row.post_id].setdefault("states", {})[str(row.quoted_id)] = row.state
    order = sorted(data)
    with connection.cursor() as cursor:
        cursor.execute(
            _WRITE_SQL, {"ids": order, "data": [json.dumps(data[pk]) for pk in order]}
        )
    invalidate(*sorted({f"thread:{posts[pk].thread_id}" for pk in order}))


# --- the body add-on: what the thread page shows ----------------------------------


def collect(viewer, posts) -> dict:
    """Each post's quote data, from the post itself: no query."""
    return {
        post.pk: data
        for post in posts
        if (data := (getattr(post, "addon_data", None) or {}).get("quotes"))
    }


def apply(body_html: str, data) -> str:
    """The post's HTML with its quotes' labels and its "Quoted by" line."""
    if not data:
        return body_html
    for quoted, state in (data.get("states") or {}).items():
        label = LABELS.get(state)
        if label is None or not str(quoted).isdigit():
            continue
        body_html = _label_quote(body_html, int(quoted), state, label)
    if data.get("by"):
        body_html += _backlinks(data["by"], data.get("by_count", len(data["by"])))
    return body_html


def _label_quote(body_html: str, quoted: int, state: str, label: str) -> str:
    opening = re.compile(
        rf'(<blockquote class="bb-quote"[^>]* data-quote-post="{quoted}"[^>]*>'
        r'(?:<div class="bb-quote-attribution">.*?</div>)?)'
    )
    note = f'<div class="quote-since quote-since--{state}">{label}</div>'
    return opening.sub(lambda m: m[1] + note, body_html)


def _backlinks(by: list, count: int) -> str:
    links = ", ".join(
        f'<a href="/posts/{int(pk)}/">#{int(number)}</a>' for pk, number in by
    )
    more = count - len(by)
    tail = f" and {more} more" if more > 0 else ""
    noun = "post" if count == 1 else "posts"
    return f'<p class="quoted-by">Quoted by {count} {noun}: {links}{tail}</p>'
