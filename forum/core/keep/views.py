"""The page where text kept during a login waits to be sent (stash.py)."""

from django.http import Http404

from forum.core.keep import stash
from forum.core.keep.pages import render_kept


def kept(request, token: str):
    found = stash.get(request, token)
    if found is None:
        raise Http404("That text is no longer kept.")
    action, typed = found
    return render_kept(
        request,
        status=200,
        title="What you wrote is ready to send",
        explanation=[
            "You were logged out before it could be sent, so it was kept for "
            "you. Check it, then send it."
        ],
        typed=typed,
        resubmit=True,
        action=action,
        button="Send",
        links=[],
    )
