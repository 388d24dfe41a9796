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
    can_upload,
    can_view_edit_history,
    can_view_post,
    reply_refusal,
    require,
)
from forum.posts import composer, extensions, labelling, places, services
from forum.posts.drafts.services import discard_draft
from forum.posts.forms import DeletePostForm, EditPostForm, ReplyForm, ThreadForm
from forum.posts.models import Post
from forum.posts.polls.forms import PollForm
from forum.posts.polls.services import PollRefused
from forum.posts.selectors import get_post_for_user_or_404
from forum.threads.forms import LabelsForm
from forum.threads.selectors import (
    get_node_for_user_or_404,
    get_thread_for_user_or_404,
    node_breadcrumb,
)


def _posted(request):
    # Not `request.POST or None`: an empty POST must still be a (failing) submission.
    return request.POST if request.method == "POST" else None


def post_redirect(request, pk: int):
    post = get_post_for_user_or_404(request.user, pk)
    return redirect(post.get_thread_url())


def _quotes_for(request, thread, ids) -> str:
    """BBCode quoting the posts named by ?quote=, only those the viewer may see.
    A post that an app shows otherwise than its source (an article link as a
    news card) is quoted as shown (extensions.quote_bodies: `[NEWS=id]`)."""
    wanted = [int(i) for i in ids if str(i).isdigit()][:20]
    posts = Post.objects.filter(pk__in=wanted, thread=thread).select_related("thread")
    by_id = {p.pk: p for p in posts if can_view_post(request.user, p)}
    bodies = extensions.quote_bodies(list(by_id.values())) if by_id else {}
    return "".join(
        quote_tag_for(
            username=p.author_name,
            post_id=p.pk,
            member_id=p.author_id or 0,
            body=bodies.get(p.pk, p.body),
        )
        for i in wanted
        if (p := by_id.get(i))
    )


def _recent_posts(user, thread, count: int = 5) -> list:
    """The last posts of the thread, newest first, for the full reply page."""
    posts = (
        Post.objects.in_thread(thread)
        .visible_to(user, thread=thread)
        .order_by("-position")[:count]
    )
    return list(posts)


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
    quoted = ""
    if request.method != "POST":
        quoted = _quotes_for(request, thread, request.GET.getlist("quote"))
        if request.GET.get("format") == "bbcode":  # the Quote buttons' fetch
            return HttpResponse(quoted, content_type="text/plain; charset=utf-8")
    place = places.for_thread(thread)
    box = composer.compose(
        request, place=place, may_upload=can_upload(request.user, thread.node)
    )
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if not box.holds and form.is_valid():
            try:
                result = services.reply_to_thread(
                    author=request.user,
                    thread=thread,
                    body=form.cleaned_data["body"],
                    ip_address=client_ip(request),
                    place=place,
                )
            except services.PostingRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                discard_draft(owner=request.user, place=place)
                return redirect(result.post.get_thread_url())
    else:
        body = composer.restore_draft(request, box) or ""
        if quoted:
            body = (body + "\n" if body else "") + quoted
        form = ReplyForm(initial={"body": body})
    context = {
        "thread": thread,
        "form": form,
        "composer": box,
        "breadcrumb": node_breadcrumb(thread.node) + [thread.node],
        "recent": _recent_posts(request.user, thread),
    }
    return render(request, "posts/reply.html", context)


@login_required
def post_thread(request, pk: int, slug: str = ""):
    node = get_node_for_user_or_404(request.user, pk)
    require(can_start_thread(request.user, node), "You may not start threads here.")
    place = places.for_node(node)
    box = composer.compose(
        request, place=place, may_upload=can_upload(request.user, node)
    )
    posted = _posted(request)
    initial = {}
    if posted is None:
        body = composer.restore_draft(request, box)
        if box.draft is not None:
            initial = {"title": box.draft.title, "body": body}
    form = ThreadForm(posted, initial=initial)
    poll_form = PollForm(posted)
    labels = LabelsForm(posted, user=request.user, node=node, request=request)
    notices = _form_notices(request, form)
    parts = extensions.thread_form_parts()
    if (
        request.method == "POST"
        and not box.holds
        and form.is_valid()
        and poll_form.is_valid()
        and labels.is_valid()
        and not any(notices[part.context_name] for part in parts if part.holds)
    ):
        try:
            result = labelling.create_labelled_thread(
                **labels.labels(),
                author=request.user,
                node=node,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                ip_address=client_ip(request),
                place=place,
                poll=poll_form.spec(),
            )
        except (services.PostingRefused, PollRefused) as refusal:
            form.add_error(None, str(refusal))
        else:
            discard_draft(owner=request.user, place=place)
            return redirect(result.post.thread.get_absolute_url())
    context = {
        "node": node,
        "form": form,
        "poll_form": poll_form,
        "labels": labels,
        "composer": box,
        "breadcrumb": node_breadcrumb(node) + [node],
        "form_parts": extensions.thread_form_parts(),
    }
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
    title = request.POST.get("title", "").strip() if request.method == "POST" else ""
    notices = {}
    for part in parts:
        if part.check_title is not None:
            found = part.check_title(request.user, title) if title else []
        else:
            found = part.check(request.user, body) if checking and part.check else []
        notices[part.context_name] = found
    return notices


@login_required
def edit(request, pk: int):
    post = get_post_for_user_or_404(request.user, pk)
    require(can_edit_post(request.user, post), "You may not edit this post.")
    with_title = post.position == 0
    place = places.for_post(post)
    box = composer.compose(
        request,
        place=place,
        may_upload=can_upload(request.user, post.thread.node),
        existing=post.attachments.order_by("pk"),
    )
    initial = {"body": post.body, "title": post.thread.title}
    if request.method != "POST":
        initial["body"] = composer.restore_draft(request, box, unless=post.body) or (
            post.body
        )
    form = EditPostForm(_posted(request), initial=initial, with_title=with_title)
    labels = None
    if with_title:
        labels = LabelsForm(
            _posted(request),
            user=request.user,
            node=post.thread.node,
            thread=post.thread,
            request=request,
        )
    if (
        request.method == "POST"
        and not box.holds
        and form.is_valid()
        and (labels is None or labels.is_valid())
    ):
        edit = {
            "actor": request.user,
            "post": post,
            "body": form.cleaned_data["body"],
            "title": form.cleaned_data.get("title") if with_title else None,
        }
        writer = _writer("edit", request.user, post)
        if labels is None:
            post = writer(**edit)
        else:
            post, _changed = labelling.edit_labelled_post(
                writer,
                **edit,
                **labels.labels(),
                label=_writer("label", request.user, post),
            )
        # The editor's uploads join the post (whoever makes the edit).
        services.claim_uploads(editor=request.user, post=post, place=place)
        discard_draft(owner=request.user, place=place)
        messages.success(request, "Your changes have been saved.")
        return redirect(post.get_thread_url())
    context = {
        "post": post,
        "form": form,
        "labels": labels,
        "composer": box,
        "crumbs": _thread_crumbs(post.thread),
    }
    return render(request, "posts/edit.html", context)


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
    context = {"post": post, "form": form, "crumbs": _thread_crumbs(post.thread)}
    return render(request, "posts/delete.html", context)


def _thread_crumbs(thread) -> list:
    """The breadcrumb of a page about a post: to its thread."""
    return [*node_breadcrumb(thread.node), thread.node, thread]


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
    "label": labelling.own_labels,
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
