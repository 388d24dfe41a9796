"""Live "new replies" on a thread's last page: static/js/live-replies.js asks
/threads/<id>/new-replies?after=<position> every few seconds while the page is
shown, and offers "2 new replies — show" (posts are never added to the page by
surprise; without JavaScript nothing changes).

Cheap by construction: the answer for a thread's versions and a position is
kept FORUM_LIVE_REPLIES_SECONDS (5) in the page cache, the thread row is this
process's copy (forum.core.pagecache.versioned_row), and a client that sends
the ETag it has gets a 304 before anything is counted: no query for a guest,
only the session's for a member."""

import hashlib

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from forum.core import pagecache, versions
from forum.posts.models import Post
from forum.posts.pages import _thread_row
from forum.threads.selectors import authorize_thread


def _lifetime() -> int:
    return int(getattr(settings, "FORUM_LIVE_REPLIES_SECONDS", 5))


def new_replies(request, pk: int, slug: str = ""):
    thread = authorize_thread(request.user, pk, _thread_row(request, pk))
    try:
        after = max(-1, int(request.GET.get("after", "")))
    except ValueError:
        after = thread.last_position
    stamp = versions.for_request(request, ["site", f"thread:{thread.pk}"])
    digest = hashlib.sha256(f"{stamp}|{thread.pk}|{after}".encode()).hexdigest()
    etag = f'"{digest[:32]}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = JsonResponse(_answer(thread, after, digest))
    response["ETag"] = etag
    response["Cache-Control"] = f"private, max-age={_lifetime()}"
    return response


def _answer(thread, after: int, digest: str) -> dict:
    key = f"live-replies:{digest}"
    found = pagecache.get(key)
    if found is None:
        new = list(
            Post.objects.visible()
            .filter(thread_id=thread.pk, position__gt=after)
            .order_by("position")
            .values_list("pk", flat=True)[:100]
        )
        found = {"count": len(new), "url": f"/posts/{new[0]}/" if new else ""}
        pagecache.put(key, found, _lifetime())
    return found
