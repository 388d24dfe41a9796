"""The bookmarks page (/account/bookmarks) and the bookmark writes. Each write
answers a script (X-Requested-With) with the post's new control as JSON, and a
form without one with a redirect: to the post, or where the form says.

Writes are limited ("bookmark" in FORUM_RATE_LIMITS, per member): a refused
one answers a script with a 429 and the message, and a form with the message
on the page; an edit comes back as its form, filled as it was sent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from forum.bookmarks import selectors, services
from forum.bookmarks.controls import control_html
from forum.bookmarks.forms import BookmarkForm
from forum.bookmarks.models import Bookmark
from forum.core import ratelimit
from forum.core.pagination import parse_page
from forum.core.safe_redirect import safe_next
from forum.posts.selectors import get_post_for_user_or_404


def _scripted(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _answer(request, post, bookmark, message: str):
    """What a write answers: the control for a script, else a redirect."""
    if _scripted(request):
        mine = None
        if bookmark is not None:
            mine = {"id": bookmark.pk, "note": bookmark.note, "labels": bookmark.labels}
        count = 0
        if post.author_id == request.user.pk:
            count = Bookmark.objects.filter(post=post).count()
        html = control_html(post.pk, mine, count, get_token(request))
        return JsonResponse({"post": post.pk, "control": html, "message": message})
    messages.success(request, message)
    return redirect(
        safe_next(request, request.POST.get("next"), post.get_absolute_url())
    )


def _refusal(request) -> ratelimit.RateLimited | None:
    """Count one bookmark write; the refusal once the member's budget is spent."""
    try:
        ratelimit.check("bookmark", key=ratelimit.who(request), noun="bookmark changes")
    except ratelimit.RateLimited as refusal:
        return refusal
    return None


def _refuse(request, refusal, fallback: str):
    if _scripted(request):
        response = JsonResponse({"error": str(refusal)}, status=429)
        response["Retry-After"] = str(refusal.retry_after)
        return response
    messages.error(request, str(refusal))
    return redirect(safe_next(request, request.POST.get("next"), fallback))


def _edit_page(request, bookmark, form, status: int):
    """The edit form alone, filled as it was sent (no script, a refused edit)."""
    response = render(
        request, "bookmarks/edit.html", {"bookmark": bookmark, "form": form}
    )
    response.status_code = status
    return response


@login_required
@require_POST
def add(request, pk: int):
    post = get_post_for_user_or_404(request.user, pk)
    refusal = _refusal(request)
    if refusal is not None:
        return _refuse(request, refusal, post.get_absolute_url())
    form = BookmarkForm(request.POST)
    note, labels = "", []
    if form.is_valid():
        note, labels = form.cleaned_data["note"], form.cleaned_data["labels"]
    bookmark = services.add_bookmark(
        user=request.user, post=post, note=note, labels=labels
    )
    return _answer(
        request, post, bookmark, "Bookmarked. Add a note or labels if you like."
    )


def _own(request, pk: int) -> Bookmark:
    return get_object_or_404(
        Bookmark.objects.select_related("post__thread"), pk=pk, user=request.user
    )


@login_required
@require_POST
def edit(request, pk: int):
    bookmark = _own(request, pk)
    form = BookmarkForm(request.POST, auto_id=f"bookmark-{bookmark.pk}-%s")
    if not form.is_valid():
        if _scripted(request):
            return JsonResponse(
                {"error": " ".join(form.errors.get("note", []))}, status=400
            )
        return _edit_page(request, bookmark, form, 400)
    refusal = _refusal(request)
    if refusal is not None:
        if _scripted(request):
            return _refuse(request, refusal, "")
        messages.error(request, str(refusal))
        return _edit_page(request, bookmark, form, 429)
    services.update_bookmark(
        bookmark=bookmark,
        note=form.cleaned_data["note"],
        labels=form.cleaned_data["labels"],
    )
    return _answer(request, bookmark.post, bookmark, "Bookmark saved.")


@login_required
@require_POST
def remove(request, pk: int):
    bookmark = _own(request, pk)
    post = bookmark.post
    refusal = _refusal(request)
    if refusal is not None:
        return _refuse(request, refusal, post.get_absolute_url())
    services.remove_bookmark(bookmark=bookmark)
    return _answer(request, post, None, "Bookmark removed.")


@login_required
def bookmarks(request):
    label = request.GET.get("label", "").strip()
    page = selectors.bookmarks_page(
        request.user, parse_page(request.GET.get("page")), label
    )
    for bookmark in page.bookmarks:
        bookmark.form = BookmarkForm(
            initial={"note": bookmark.note, "labels": ", ".join(bookmark.labels)},
            auto_id=f"bookmark-{bookmark.pk}-%s",
        )
    query = urlencode({"label": label}) + "&" if label else ""
    context = {"page": page, "query": query}
    return render(request, "bookmarks/bookmarks.html", context)
