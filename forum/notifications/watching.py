"""Watching threads and forums, the watched threads page, the alert and e-mail
preferences, and unsubscribing from a mail's link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from forum.core.pagination import parse_page
from forum.core.safe_redirect import safe_next
from forum.notifications import mail, selectors, services
from forum.notifications.forms import ForumWatchForm, PreferencesForm, ThreadWatchForm
from forum.threads.selectors import (
    get_node_for_user_or_404,
    get_thread_for_user_or_404,
)


def _back(request, fallback: str):
    return redirect(safe_next(request, request.POST.get("next"), fallback))


@login_required
def watch_thread(request, pk: int, slug: str = ""):
    """Watch a thread, with or without e-mail, or stop (the thread's Watch link
    leads here; the form is the page without JavaScript)."""
    thread = get_thread_for_user_or_404(request.user, pk)
    watch = selectors.thread_watch(request.user, thread)
    if request.method == "POST":
        if request.POST.get("action") == "unwatch":
            services.unwatch_threads(user=request.user, thread_ids=[thread.pk])
            messages.success(request, "You are no longer watching this thread.")
            return _back(request, thread.get_absolute_url())
        form = ThreadWatchForm(request.POST)
        if form.is_valid():
            services.watch_thread(
                user=request.user, thread=thread, email=form.cleaned_data["email"]
            )
            messages.success(request, "You are watching this thread.")
            return _back(request, thread.get_absolute_url())
    else:
        form = ThreadWatchForm(initial={"email": watch.email if watch else False})
    context = {"thread": thread, "watch": watch, "form": form}
    return render(request, "notifications/watch_thread.html", context)


@login_required
def watch_forum(request, pk: int, slug: str = ""):
    """Watch a forum (its new threads, or every post), or stop."""
    node = get_node_for_user_or_404(request.user, pk)
    if node.is_category:
        raise Http404("Only forums can be watched.")
    watch = selectors.forum_watch(request.user, node)
    if request.method == "POST":
        if request.POST.get("action") == "unwatch":
            services.unwatch_forums(user=request.user, node_ids=[node.pk])
            messages.success(request, "You are no longer watching this forum.")
            return _back(request, node.get_absolute_url())
        form = ForumWatchForm(request.POST)
        if form.is_valid():
            services.watch_forum(user=request.user, node=node, **form.cleaned_data)
            messages.success(request, "You are watching this forum.")
            return _back(request, node.get_absolute_url())
    else:
        initial = {"mode": watch.mode, "email": watch.email} if watch else {}
        form = ForumWatchForm(initial=initial)
    context = {"node": node, "watch": watch, "form": form}
    return render(request, "notifications/watch_forum.html", context)


@login_required
def watched(request):
    """The threads and forums the member watches; several stopped at once."""
    if request.method == "POST":
        threads = [int(i) for i in request.POST.getlist("thread") if i.isdigit()]
        forums = [int(i) for i in request.POST.getlist("forum") if i.isdigit()]
        stopped = services.unwatch_threads(user=request.user, thread_ids=threads)
        stopped += services.unwatch_forums(user=request.user, node_ids=forums)
        if stopped:
            noun = "watch" if stopped == 1 else "watches"
            messages.success(request, f"{stopped} {noun} stopped.")
        return redirect(request.get_full_path())
    page = selectors.watched_page(request.user, parse_page(request.GET.get("page")))
    return render(request, "notifications/watched.html", {"page": page})


@login_required
def preferences(request):
    prefs = services.preferences_for(request.user)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, instance=prefs
    )
    if request.method == "POST" and form.is_valid():
        services.save_preferences(user=request.user, **form.cleaned_data)
        messages.success(request, "Your alert preferences have been saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # the token is the proof; mail programs post without a form
def unsubscribe(request, token: str):
    """A mail's unsubscribe link: without logging in, the signed token says
    what to stop. GET asks (a link checker must not unsubscribe anyone); POST,
    from the page or a mail program's one-click (RFC 8058), does it."""
    subject = mail.token_subject(token)
    if subject is None:
        response = render(request, "notifications/unsubscribe.html", {"gone": True})
        response.status_code = 404
        return response
    context = {"what": subject[0], "token": token}
    if request.method == "POST":
        context["done"] = mail.unsubscribe(token)
    response = render(request, "notifications/unsubscribe.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
