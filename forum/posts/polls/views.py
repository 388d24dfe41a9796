"""Voting, closing a poll, and adding one to a thread later."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from forum.policy import can_manage_poll
from forum.posts.polls import services
from forum.posts.polls.forms import PollForm
from forum.posts.polls.models import Poll
from forum.threads.selectors import get_thread_for_user_or_404


def _poll(request, pk: int):
    thread = get_thread_for_user_or_404(request.user, pk)
    poll = Poll.objects.filter(thread=thread).first()
    if poll is None:
        raise Http404("This thread has no poll.")
    poll.thread = thread
    return thread, poll


@login_required
@require_POST
def vote(request, pk: int, slug: str = ""):
    thread, poll = _poll(request, pk)
    chosen = [v for v in request.POST.getlist("option") if v.isdigit()]
    try:
        services.vote(
            voter=request.user, poll=poll, option_ids=[int(v) for v in chosen]
        )
    except services.PollRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Your vote has been counted.")
    return redirect(thread.get_absolute_url() + "#poll")


@login_required
@require_POST
def close(request, pk: int, slug: str = ""):
    thread, poll = _poll(request, pk)
    try:
        services.close_poll(actor=request.user, poll=poll)
    except services.PollRefused as refusal:
        raise PermissionDenied(str(refusal)) from None
    messages.success(request, "The poll is closed.")
    return redirect(thread.get_absolute_url() + "#poll")


@login_required
def add(request, pk: int, slug: str = ""):
    thread = get_thread_for_user_or_404(request.user, pk)
    if not can_manage_poll(request.user, thread):
        raise PermissionDenied(
            "Only the thread's starter or a moderator may add a poll."
        )
    if Poll.objects.filter(thread=thread).exists():
        messages.error(request, "This thread already has a poll.")
        return redirect(thread.get_absolute_url())
    form = PollForm(request.POST if request.method == "POST" else None, required=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_poll(actor=request.user, thread=thread, spec=form.spec())
        except services.PollRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The poll has been added.")
            return redirect(thread.get_absolute_url() + "#poll")
    return render(request, "posts/poll_add.html", {"thread": thread, "poll_form": form})
