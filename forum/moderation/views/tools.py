"""The moderator tools on thread and forum pages. Every one is a plain form POST
(CSRF-protected) that works without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from forum.moderation import forms, selectors
from forum.moderation.services import content, structure
from forum.moderation.services.structure import ModerationRefused
from forum.moderation.views.common import (
    back,
    confirm_page,
    confirmed,
    ids_from,
    refuse,
    thread_crumbs,
    visible_threads,
)
from forum.policy import can_moderate, require
from forum.posts.models import Post
from forum.posts.selectors import get_post_for_user_or_404
from forum.threads.selectors import get_thread_for_user_or_404

NOT_MODERATOR = "Only moderators of this forum may do that."


def _moderated_thread(request, pk: int):
    thread = get_thread_for_user_or_404(request.user, pk)
    require(can_moderate(request.user, thread.node), NOT_MODERATOR)
    return thread


def _reason(request) -> str:
    form = forms.ReasonForm(request.POST)
    return form.cleaned_data["reason"] if form.is_valid() else ""


THREAD_ACTIONS = {
    "lock": ("Thread locked.", lambda kw: content.set_locked(locked=True, **kw)),
    "unlock": ("Thread unlocked.", lambda kw: content.set_locked(locked=False, **kw)),
    "stick": ("Thread stuck.", lambda kw: content.set_sticky(sticky=True, **kw)),
    "unstick": ("Thread unstuck.", lambda kw: content.set_sticky(sticky=False, **kw)),
    "delete": ("Thread deleted.", lambda kw: content.delete_thread(**kw)),
    "restore": ("Thread restored.", lambda kw: content.restore_thread(**kw)),
}


@login_required
@require_POST
def thread_action(request, pk: int, action: str):
    if action not in THREAD_ACTIONS:
        raise Http404("No such action.")
    thread = _moderated_thread(request, pk)
    if action == "delete" and not confirmed(request):
        return _confirm_thread_delete(request, [thread], request.path)
    done, run = THREAD_ACTIONS[action]
    try:
        run({"actor": request.user, "thread": thread, "reason": _reason(request)})
    except ModerationRefused as refusal:
        return refuse(request, str(refusal), thread.get_absolute_url())
    messages.success(request, done)
    return back(request, thread.get_absolute_url())


@login_required
def move_thread(request, pk: int):
    thread = _moderated_thread(request, pk)
    forums = selectors.forum_choices(request.user)
    posted = request.POST if request.method == "POST" else None
    form = forms.MoveThreadForm(posted, forums=forums, initial={"node": thread.node})
    if posted is not None and form.is_valid():
        content.move_thread(
            actor=request.user,
            thread=thread,
            node=form.cleaned_data["node"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, f"Thread moved to {form.cleaned_data['node']}.")
        return redirect(thread.get_absolute_url())
    return render(
        request,
        "moderation/move_thread.html",
        {"thread": thread, "form": form, "crumbs": thread_crumbs(thread)},
    )


def _merge_target(request, form, source):
    target = get_thread_for_user_or_404(request.user, form.cleaned_data["target"])
    require(can_moderate(request.user, target.node), NOT_MODERATOR)
    return target


@login_required
def merge_thread(request, pk: int):
    """Merge this thread into another named by its address."""
    thread = _moderated_thread(request, pk)
    posted = request.POST if request.method == "POST" else None
    form = forms.MergeIntoForm(posted)
    if posted is not None and form.is_valid():
        target = _merge_target(request, form, thread)
        try:
            structure.merge_threads(
                actor=request.user,
                source=thread,
                target=target,
                reason=form.cleaned_data["reason"],
            )
        except ModerationRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The threads have been merged.")
            return redirect(target.get_absolute_url())
    return render(
        request,
        "moderation/merge_thread.html",
        {"thread": thread, "form": form, "crumbs": thread_crumbs(thread)},
    )


# --- inline moderation on the forum page -----------------------------------------

INLINE_THREAD_ACTIONS = {key: value for key, value in THREAD_ACTIONS.items()} | {
    "move": None,
    "merge": None,
}


@login_required
@require_POST
def inline_threads(request):
    action = request.POST.get("action", "")
    if action not in INLINE_THREAD_ACTIONS:
        return refuse(request, "Choose an action.", "/")
    threads = visible_threads(
        request.user, ids_from(request.POST.getlist("thread_ids"))
    )
    if threads is None:
        raise Http404("No such thread.")
    for thread in threads:
        require(can_moderate(request.user, thread.node), NOT_MODERATOR)
    if not threads:
        return refuse(request, "Select at least one thread.", "/")
    fallback = threads[0].node.get_absolute_url()
    if action == "move":
        return _inline_move(request, threads, fallback)
    if action == "merge":
        return _inline_merge(request, threads, fallback)
    if action == "delete" and not confirmed(request):
        return _confirm_thread_delete(request, threads, request.path)
    done, run = THREAD_ACTIONS[action]
    reason = _reason(request)
    with transaction.atomic():  # one intent: every selected thread or none
        for thread in threads:
            run({"actor": request.user, "thread": thread, "reason": reason})
    messages.success(request, f"{done[:-1]} ({len(threads)} threads).")
    return back(request, fallback)


def _confirm_thread_delete(request, threads, action_url):
    posts = sum(thread.reply_count + 1 for thread in threads)
    if len(threads) == 1:
        what = f"Delete the thread “{threads[0].title}” and its {_n(posts, 'post')}"
    else:
        what = f"Delete {len(threads)} threads with {_n(posts, 'post')} in all"
    return confirm_page(
        request,
        title="Delete thread" if len(threads) == 1 else "Delete threads",
        action_url=action_url,
        consequences=[
            f"{what}: members will no longer see them; moderators still do.",
            "Take them out of the forum's thread and post counts.",
            "Stay in the moderator log, where Undo restores them.",
        ],
        button="Delete" if len(threads) > 1 else "Delete thread",
        cancel_url=threads[0].get_absolute_url(),
        # Several threads: the forum they were chosen in.
        crumbs=thread_crumbs(threads[0])[: -1 if len(threads) > 1 else None],
    )


def _confirm_posts_delete(request, thread, posts, action_url):
    authors = len({post.author_name for post in posts})
    numbers = ", ".join(f"#{post.position + 1}" for post in posts[:20])
    return confirm_page(
        request,
        title="Delete posts" if len(posts) > 1 else "Delete post",
        action_url=action_url,
        consequences=[
            f"Delete {_n(len(posts), 'post')} ({numbers}) by "
            f"{_n(authors, 'member')} in “{thread.title}”: members will no longer "
            "see them; moderators still do.",
            "Stay in the moderator log, where Undo restores them.",
        ],
        button="Delete" if len(posts) > 1 else "Delete post",
        cancel_url=thread.get_absolute_url(),
        crumbs=thread_crumbs(thread),
    )


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _confirming(request) -> bool:
    return request.POST.get("confirm") == "1"


def _inline_move(request, threads, fallback):
    forums = selectors.forum_choices(request.user)
    form = forms.MoveThreadForm(
        request.POST if _confirming(request) else None,
        forums=forums,
        initial={"node": threads[0].node},
    )
    if _confirming(request) and form.is_valid():
        node = form.cleaned_data["node"]
        with transaction.atomic():
            for thread in threads:
                content.move_thread(
                    actor=request.user,
                    thread=thread,
                    node=node,
                    reason=form.cleaned_data["reason"],
                )
        messages.success(request, f"{len(threads)} threads moved to {node}.")
        return redirect(node.get_absolute_url())
    return render(
        request,
        "moderation/inline_threads.html",
        {"threads": threads, "form": form, "action": "move", "title": "Move threads"},
    )


def _inline_merge(request, threads, fallback):
    if len(threads) < 2:
        return refuse(request, "Select at least two threads to merge.", fallback)
    form = forms.MergeChoiceForm(
        request.POST if _confirming(request) else None, threads=threads
    )
    if _confirming(request) and form.is_valid():
        target = next(t for t in threads if t.pk == form.cleaned_data["target"])
        try:
            with transaction.atomic():
                for source in threads:
                    if source.pk != target.pk:
                        structure.merge_threads(
                            actor=request.user,
                            source=source,
                            target=target,
                            reason=form.cleaned_data["reason"],
                        )
        except ModerationRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"{len(threads)} threads merged.")
            return redirect(target.get_absolute_url())
    return render(
        request,
        "moderation/inline_threads.html",
        {"threads": threads, "form": form, "action": "merge", "title": "Merge threads"},
    )


# --- posts ----------------------------------------------------------------------

POST_ACTIONS = {
    "approve": ("Post approved.", content.approve_post),
    "unapprove": ("Post sent back to the approval queue.", content.unapprove_post),
    "reject": ("Post rejected.", content.reject_post),
    "delete": ("Post deleted.", content.delete_post),
    "restore": ("Post restored.", content.restore_post),
}


@login_required
@require_POST
def post_action(request, pk: int, action: str):
    if action not in POST_ACTIONS:
        raise Http404("No such action.")
    post = get_post_for_user_or_404(request.user, pk)
    require(can_moderate(request.user, post.thread.node), NOT_MODERATOR)
    if action == "delete" and not confirmed(request):
        return _confirm_posts_delete(request, post.thread, [post], request.path)
    done, run = POST_ACTIONS[action]
    try:
        run(actor=request.user, post=post, reason=_reason(request))
    except ModerationRefused as refusal:
        return refuse(request, str(refusal), post.get_thread_url())
    messages.success(request, done)
    return back(request, post.get_thread_url())


@login_required
@require_POST
def inline_posts(request, pk: int):
    """The action bar under a thread's posts: act on every selected post."""
    thread = _moderated_thread(request, pk)
    action = request.POST.get("action", "")
    ids = ids_from(request.POST.getlist("post_ids"))
    posts = list(
        Post.objects.filter(thread=thread, pk__in=ids).select_related("thread")
    )
    fallback = thread.get_absolute_url()
    if not posts:
        return refuse(request, "Select at least one post.", fallback)
    if action in ("split", "move"):
        return _inline_restructure(request, thread, posts, action)
    if action not in POST_ACTIONS:
        return refuse(request, "Choose an action.", fallback)
    if action == "delete" and not confirmed(request):
        posts.sort(key=lambda p: p.position)
        return _confirm_posts_delete(request, thread, posts, request.path)
    done, run = POST_ACTIONS[action]
    reason = _reason(request)
    try:
        with transaction.atomic():
            for post in sorted(posts, key=lambda p: -p.position):
                run(actor=request.user, post=post, reason=reason)
    except ModerationRefused as refusal:
        return refuse(request, str(refusal), fallback)
    messages.success(request, f"{done} ({len(posts)} posts)")
    return back(request, fallback)


def _inline_restructure(request, thread, posts, action):
    forums = selectors.forum_choices(request.user)
    posted = request.POST if _confirming(request) else None
    if action == "split":
        form = forms.SplitForm(posted, forums=forums, initial={"node": thread.node})
    else:
        form = forms.MovePostsForm(posted)
    if posted is not None and form.is_valid():
        try:
            destination = _restructure(request, thread, posts, action, form)
        except ModerationRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect(destination.get_absolute_url())
    title = "Split posts into a new thread" if action == "split" else "Move posts"
    return render(
        request,
        "moderation/inline_posts.html",
        {
            "thread": thread,
            "posts": posts,
            "form": form,
            "action": action,
            "title": title,
        },
    )


def _restructure(request, thread, posts, action, form):
    ids = [post.pk for post in posts]
    reason = form.cleaned_data["reason"]
    if action == "split":
        result = structure.split_posts(
            actor=request.user,
            post_ids=ids,
            title=form.cleaned_data["title"],
            node=form.cleaned_data["node"],
            reason=reason,
        )
        messages.success(request, f"{len(ids)} posts split into a new thread.")
        return result.thread
    target = get_thread_for_user_or_404(request.user, form.cleaned_data["target"])
    require(can_moderate(request.user, target.node), NOT_MODERATOR)
    structure.move_posts(actor=request.user, post_ids=ids, target=target, reason=reason)
    messages.success(request, f"{len(ids)} posts moved.")
    return target
