"""How bookmarks plugs into the thread page (called from BookmarksConfig.ready()).

The control at the top of each post (Bookmark, or Bookmarked with the note and
labels) and, for the post's author only, how many members bookmarked it, are
drawn per viewer in the "post-tools" region (forum/posts/pages.py). What they
need comes from two viewer facts, read in the same statement as the viewer's
slice of the page: no query of their own, none per post.
"""

from forum.bookmarks.controls import control_html
from forum.core.perviewer import value_marker
from forum.posts import extensions

# The viewer's bookmarks in the thread: [[post id, bookmark id, note, labels]].
MINE_SQL = (
    "SELECT json_agg(json_build_array(b.post_id, b.id, b.note, b.labels))"
    " FROM bookmarks_bookmark b"
    " WHERE b.user_id = %(user)s AND b.thread_id = %(thread)s"
)
# How many members bookmarked each of the viewer's own posts in the thread.
COUNTS_SQL = (
    "SELECT json_object_agg(c.post_id, c.n) FROM ("
    "SELECT b.post_id, count(*) AS n FROM bookmarks_bookmark b"
    " WHERE b.post_author_id = %(user)s AND b.thread_id = %(thread)s"
    " GROUP BY b.post_id) c"
)


def _post_tools(request, facts):
    user = request.user
    if not user.is_authenticated or not user.pk:
        return lambda arg, inner: inner
    mine = {
        row[0]: {"id": row[1], "note": row[2], "labels": row[3] or []}
        for row in facts.get("bookmarks") or []
    }
    counts = {int(k): v for k, v in (facts.get("bookmarked_by") or {}).items()}
    # The page's one CSRF token goes in by the marker (forum/core/perviewer.py).
    token = value_marker("csrf")

    def draw(arg: str, inner: str) -> str:
        if not arg.isdigit():
            return inner
        pk = int(arg)
        return inner + control_html(pk, mine.get(pk), counts.get(pk, 0), token)

    return draw


# `manage.py recount`: each bookmark's thread and author as its post's now (a
# merge moves posts to another thread).
RESYNC_SQL = """
UPDATE bookmarks_bookmark b SET thread_id = p.thread_id, post_author_id = p.author_id
FROM posts_post p
WHERE p.id = b.post_id
  AND (b.thread_id <> p.thread_id OR b.post_author_id IS DISTINCT FROM p.author_id)
"""
SNAPSHOT_SQL = (
    "SELECT id, thread_id, post_author_id FROM bookmarks_bookmark ORDER BY id"
)


def install() -> None:
    extensions.register_viewer_fact(extensions.ViewerFact("bookmarks", MINE_SQL))
    extensions.register_viewer_fact(extensions.ViewerFact("bookmarked_by", COUNTS_SQL))
    extensions.register_viewer_part("thread", "post-tools", _post_tools)
    extensions.register_counter(
        extensions.Counter("bookmark threads", RESYNC_SQL, SNAPSHOT_SQL)
    )
