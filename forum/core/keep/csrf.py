"""settings.CSRF_FAILURE_VIEW: a form refused for its security token.

The usual cause is harmless: the page was open for a long time, or the member
logged in (or out) in another tab, which gives the browser a new token that the
old page does not carry. So the answer explains that, and, for a form with text
in it, gives the text back in a form carrying a fresh token: one click sends
it. A form that came from another site (a failed Origin or Referer check, or no
sign that it came from here) is not shown back.
"""

from django.middleware.csrf import REASON_NO_CSRF_COOKIE

from forum.core.keep.pages import render_kept

_FROM_ELSEWHERE = ("Origin checking failed", "Referer checking failed")


def _explanation(reason: str) -> list[str]:
    if reason.startswith(_FROM_ELSEWHERE):
        return [
            "Nothing was sent: this form did not come from one of this site's "
            "pages, or your browser did not say where it came from.",
            "If you did mean to send it, go back to the page, reload it and try again.",
        ]
    lines = [
        "Your session expired or the page was open too long, so nothing was "
        "sent. Each page carries a security token, and this one no longer "
        "matched (logging in or out in another tab also changes it)."
    ]
    if reason == REASON_NO_CSRF_COOKIE:
        lines.append(
            "Your browser did not send this site's cookie with the form. If this "
            "page keeps coming back, allow cookies for this site."
        )
    return lines


def csrf_failure(request, reason: str = ""):
    return render_kept(
        request,
        status=403,
        title="Your form was not sent",
        explanation=_explanation(reason),
        resubmit=not reason.startswith(_FROM_ELSEWHERE),
    )
