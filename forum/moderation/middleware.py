"""Banned members: a banner on every page and no writing.

Goes after AuthenticationMiddleware and MessageMiddleware. Costs no query for a
member who is not banned: the ban list is part of the cached permission snapshot
(forum/policy/snapshot.py).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

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
                messages.error(request, text)
                return redirect(reverse("moderation:banned"))
            if request.method == "GET" and not _is_fetch(request):
                if not any(m.message == text for m in messages.get_messages(request)):
                    messages.warning(request, text)
                request._messages.used = False  # keep them for the page
        return self.get_response(request)


def _is_fetch(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"
