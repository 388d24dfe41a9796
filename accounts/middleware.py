"""Last seen: a member's visit is recorded at most once per five minutes."""

from accounts.services import touch_last_seen


class LastSeenMiddleware:
    """Goes after AuthenticationMiddleware. Writes only when the stored time is
    stale, so a busy member costs one UPDATE per five minutes, not per page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            touch_last_seen(member=user)
        return self.get_response(request)
