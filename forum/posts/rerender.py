"""Posts' stored HTML made again from their BBCode, after the renderer changes.

A post is rendered once, when it is written (Post.body_html); a renderer that
writes different HTML (colours and fonts became classes, for the Content
Security Policy) changes only new posts until this has run:
`python manage.py rerender_posts`.
"""

from django.db import transaction

from forum.core import pagecache
from forum.core.markup import render_bbcode
from forum.posts.models import Post


def rerender_posts(*, batch_size: int = 500) -> int:
    """Render every post's body with the current renderer and store the HTML
    where it differs; answers how many changed. Works in batches by primary key,
    each written in its own transaction, so it can run on a live forum and be
    run again after an interruption. Cached pages are refreshed at the end."""
    changed = 0
    last_pk = 0
    while True:
        batch = list(
            Post.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .only("pk", "body", "body_html")[:batch_size]
        )
        if not batch:
            break
        last_pk = batch[-1].pk
        stale = []
        for post in batch:
            html = render_bbcode(post.body)
            if html != post.body_html:
                post.body_html = html
                stale.append(post)
        if stale:
            with transaction.atomic():
                Post.objects.bulk_update(stale, ["body_html"])
            changed += len(stale)
    if changed:
        with transaction.atomic():
            pagecache.invalidate("site")
    return changed
