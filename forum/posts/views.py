"""Writing: start a thread, reply, quote, edit, delete, restore; a post's history.
(The thread page itself is forum/posts/pages.py.)"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from forum.core.http import client_ip
from forum.core.markup import quote_tag_for
from forum.core.safe_redirect import safe_next
from forum.policy import (
    can_delete_post,
    can_edit_post,
    can_moderate,
    can_reply,
    can_start_thread,
    can_view_edit_history,
    can_view_post,
    reply_refusal,
    require,
)
from forum.posts import extensions, services
from forum.posts.forms import DeletePostForm, EditPostForm, ReplyForm, ThreadForm
from forum.posts.models import Post
from forum.posts.selectors import get_post_for_user_or_404
from forum.threads.selectors import (
    get_node_for_user_or_404,
    get_thread_for_user_or_404,
)


def _posted(request):
    # Not `request.POST or None`: an empty POST must still be a (failing) submission.
    return request.POST if request.method == "POST" else None


def post_redirect(request, pk: int):
    post = get_post_for_user_or_404(request.user, pk)
    return redirect(post.get_thread_url())


def _quotes_for(request, thread, ids) -> str:
    """BBCode quoting the posts named by ?quote=, only those the viewer may see."""
    wanted = [int(i) for i in ids if str(i).isdigit()][:20]
    posts = Post.objects.filter(pk__in=wanted, thread=thread).select_related("thread")
    by_id = {p.pk: p for p in posts if can_view_post(request.user, p)}
    return "".join(
        quote_tag_for(
            username=p.author_name,
            post_id=p.pk,
            member_id=p.author_id or 0,
            body=p.body,
        )
        for i in wanted
        if (p := by_id.get(i))
    )


@login_required
def reply(request, pk: int, slug: str = ""):
    thread = get_thread_for_user_or_404(request.user, pk)
    if not can_reply(request.user, thread):
        if request.method == "POST":
            # Refused after typing (the thread was locked meanwhile...): the 403
            # page gives the text back (forum/core/keep); a redirect would lose it.
            raise PermissionDenied(reply_refusal(request.user, thread))
        messages.error(request, reply_refusal(request.user, thread))
        return redirect(thread.get_absolute_url(thread.page_count))
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                result = services.reply_to_thread(
                    author=request.user,
                    thread=thread,
                    body=form.cleaned_data["body"],
                    ip_address=client_ip(request),
                )
            except services.PostingRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                return redirect(result.post.get_thread_url())
    else:
        quoted = _quotes_for(request, thread, request.GET.getlist("quote"))
        if request.GET.get("format") == "bbcode":  # the Quote buttons' fetch
            return HttpResponse(quoted, content_type="text/plain; charset=utf-8")
        form = ReplyForm(initial={"body": quoted})
    return render(request, "posts/reply.html", {"thread": thread, "form": form})


@login_required
def post_thread(request, pk: int, slug: str = ""):
    node = get_node_for_user_or_404(request.user, pk)
    require(can_start_thread(request.user, node), "You may not start threads here.")
    form = ThreadForm(_posted(request))
    notices = _form_notices(request, form)
    if request.method == "POST" and form.is_valid() and not any(notices.values()):
        try:
            result = services.create_thread(
                author=request.user,
                node=node,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                ip_address=client_ip(request),
            )
        except services.PostingRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect(result.post.thread.get_absolute_url())
    context = {"node": node, "form": form, "form_parts": extensions.thread_form_parts()}
    return render(request, "posts/post_thread.html", context | notices)


def _form_notices(request, form) -> dict[str, list]:
    """What the form parts of other apps say about the new thread's body before
    it is posted (forum.news: threads already discussing its article), by the
    name each part's template reads; any notice holds the post until the member
    picks "Post anyway"."""
    parts = extensions.thread_form_parts()
    checking = (
        request.method == "POST"
        and not request.POST.get("post_anyway")
        and form.is_valid()
    )
    body = form.cleaned_data["body"] if checking else ""
    return {
        part.context_name: part.check(request.user, body) if checking else []
        for part in parts
    }


@login_required
def edit(request, pk: int):
    post = get_post_for_user_or_404(request.user, pk)
    require(can_edit_post(request.user, post), "You may not edit this post.")
    with_title = post.position == 0
    initial = {"body": post.body, "title": post.thread.title}
    form = EditPostForm(_posted(request), initial=initial, with_title=with_title)
    if request.method == "POST" and form.is_valid():
        post = _writer("edit", request.user, post)(
            actor=request.user,
            post=post,
            body=form.cleaned_data["body"],
            title=form.cleaned_data.get("title") if with_title else None,
        )
        messages.success(request, "Your changes have been saved.")
        return redirect(post.get_thread_url())
    return render(request, "posts/edit.html", {"post": post, "form": form})


@login_required
def delete(request, pk: int):
    post = get_post_for_user_or_404(request.user, pk)
    require(can_delete_post(request.user, post), "You may not delete this post.")
    form = DeletePostForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        _writer("delete", request.user, post)(
            actor=request.user, post=post, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "The post has been deleted.")
        fallback = (
            post.thread.node.get_absolute_url()
            if post.position == 0
            else post.thread.get_absolute_url()
        )
        wanted = request.POST.get("next") or request.GET.get("next")
        return redirect(safe_next(request, wanted, fallback))
    return render(request, "posts/delete.html", {"post": post, "form": form})


@login_required
@require_POST
def restore(request, pk: int):
    post = get_post_for_user_or_404(request.user, pk)
    require(
        can_moderate(request.user, post.thread.node), "Only moderators may do that."
    )
    _writer("restore", request.user, post)(actor=request.user, post=post)
    messages.success(request, "The post has been restored.")
    return redirect(post.get_thread_url())


def _own_edit(*, actor, post, body, title):
    return services.edit_post(editor=actor, post=post, body=body, title=title)


_OWN_WRITES = {
    "edit": _own_edit,
    "delete": services.delete_post,
    "restore": services.restore_post,
}


def _writer(action: str, actor, post):
    """Who makes this change: acting on someone else's post is a moderator action,
    made by the app that keeps the moderator log (the change and its entry commit
    together); one's own post, the posts services."""
    if post.author_id != actor.pk:
        write = extensions.moderator_write(action)
        if write is not None:
            return write
    return _OWN_WRITES[action]


def history(request, pk: int):
    post = get_post_for_user_or_404(request.user, pk)
    if not can_view_edit_history(request.user, post):
        raise Http404("No such post.")
    edits = list(post.edits.select_related("edited_by"))
    return render(request, "posts/history.html", {"post": post, "edits": edits})
