"""Banned members: a banner on every page and no writing.

Goes after AuthenticationMiddleware and MessageMiddleware. Costs no query for a
member who is not banned: the ban list is part of the cached permission snapshot
(forum/policy/snapshot.py).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from forum.core.keep.pages import DENIED_TITLE, render_kept, sent_from_this_site
from forum.core.keep.typed import typed_from_request
from forum.policy import ban_message, is_banned

# Where a banned member may still send a form: logging out, and the account pages
# (password, e-mail).
ALLOWED_POST_PREFIXES = ("/accounts/",)


class BanMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_banned(user):
            text = ban_message(user)
            if request.method == "POST" and not request.path.startswith(
                ALLOWED_POST_PREFIXES
            ):
                return _refuse_post(request, text)
            if request.method == "GET" and not _is_fetch(request):
                if not any(m.message == text for m in messages.get_messages(request)):
                    messages.warning(request, text)
                request._messages.used = False  # keep them for the page
        return self.get_response(request)


def _refuse_post(request, text: str):
    """Banned while typing: the reason, with the text given back to copy when it
    can be shown (forum/core/keep); else the ban notice."""
    typed = typed_from_request(request)
    if typed.has_text and sent_from_this_site(request):
        return render_kept(
            request,
            status=403,
            title=DENIED_TITLE,
            explanation=[text, "Nothing was sent."],
            typed=typed,
            links=[("Read the ban notice", reverse("moderation:banned"))],
        )
    messages.error(request, text)
    return redirect(reverse("moderation:banned"))


def _is_fetch(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"
