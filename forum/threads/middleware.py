"""A merged thread's old address leads to the thread it was merged into."""

from django.shortcuts import redirect

from forum.core.keep.pages import render_kept
from forum.core.keep.typed import typed_from_request
from forum.threads.selectors import ThreadMerged


class MergedThreadMiddleware:
    """get_thread_for_user_or_404 raises ThreadMerged (a 404) for the old address
    of a merged thread the viewer may see the survivor of: answer a permanent
    redirect instead, wherever the lookup happened."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ThreadMerged):
            return None
        if request.method == "POST":
            kept = _kept_for_survivor(request, exception)
            if kept is not None:
                return kept
        return redirect(exception.url, permanent=True)


def _kept_for_survivor(request, merged: ThreadMerged):
    """Merged while the member was writing: a redirect would drop the POST, so
    the text comes back; a reply can be sent to the thread that survived."""
    typed = typed_from_request(request)
    if not typed.has_text:
        return None
    # A thread's reply address is its address + "reply" (Thread.get_reply_url).
    replying = request.path.endswith("/reply") and merged.reply_url
    return render_kept(
        request,
        status=404,
        title="This thread was merged into another",
        explanation=[
            "While you were writing, a moderator merged this thread into "
            "another one, so nothing was sent."
        ],
        typed=typed,
        resubmit=bool(replying),
        action=merged.reply_url if replying else None,
        button="Post it in that thread",
        links=[("Open the thread it was merged into", merged.url)],
    )
