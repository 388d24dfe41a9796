"""Helpers shared by the moderator views."""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render

from forum.core.keep.pages import render_kept
from forum.core.keep.typed import typed_from_request
from forum.core.safe_redirect import safe_next
from forum.policy import can_view_thread
from forum.threads.models import Thread
from forum.threads.selectors import node_breadcrumb


@dataclass(frozen=True)
class Crumb:
    """A step of a breadcrumb that is not a forum or a thread (a member's
    moderator tools)."""

    title: str
    url: str

    def get_absolute_url(self) -> str:
        return self.url


def thread_crumbs(thread) -> list:
    """The breadcrumb to a thread: its forum's ancestors, its forum, itself."""
    return [*node_breadcrumb(thread.node), thread.node, thread]


def back(request, fallback: str):
    """Where the form came from (a same-site `next`), else the fallback."""
    wanted = request.POST.get("next") or request.GET.get("next")
    return redirect(safe_next(request, wanted, fallback))


def refuse(request, message: str, fallback: str):
    """Not done: back where the form came from, with the message. When the
    moderator typed something (a reason, a note), a redirect would lose it, so
    it comes back on a page with the message instead (forum/core/keep)."""
    typed = typed_from_request(request)
    if typed.has_text:
        wanted = request.POST.get("next") or request.GET.get("next")
        return render_kept(
            request,
            status=400,
            title="That was not done",
            explanation=[message, "Nothing was changed."],
            typed=typed,
            links=[("Back", safe_next(request, wanted, fallback))],
        )
    messages.error(request, message)
    return back(request, fallback)


def ids_from(values, limit: int = 200) -> list[int]:
    found = []
    for value in values:
        if str(value).isdigit() and int(value) not in found:
            found.append(int(value))
    return found[:limit]


def visible_threads(user, ids) -> list[Thread] | None:
    """The threads named, in the order given; None when any is unknown or hidden
    (the caller answers 404)."""
    threads = {
        t.pk: t
        for t in Thread.objects.select_related("node").filter(pk__in=ids)
        if can_view_thread(user, t)
    }
    if len(threads) != len(ids):
        return None
    return [threads[pk] for pk in ids]


# Fields a confirmation page carries over from the form that asked for it.
_CARRIED = ("action", "next", "post_ids", "thread_ids", "days")


def confirmed(request) -> bool:
    return request.POST.get("confirm") == "1"


def confirm_page(
    request,
    *,
    title: str,
    action_url: str,
    consequences: list[str],
    button: str,
    cancel_url: str,
    crumbs=(),
    reason_required: bool = False,
):
    """The step before a destructive action (without JavaScript; with it, a
    dialog says the same and sends confirm=1): what will happen, in counts,
    the reason, and a button that looks dangerous. The form it came from is
    carried over in hidden fields; `crumbs` lead to what it acts on."""
    carried = [
        (name, value)
        for name in _CARRIED
        for value in request.POST.getlist(name)
        if value != ""
    ]
    return render(
        request,
        "moderation/confirm.html",
        {
            "title": title,
            "action_url": action_url,
            "consequences": consequences,
            "button": button,
            "cancel_url": cancel_url,
            "carried": carried,
            "reason": request.POST.get("reason", "")[:200],
            "reason_required": reason_required,
            "crumbs": list(crumbs),
        },
    )
