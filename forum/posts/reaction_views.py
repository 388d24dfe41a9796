"""Reacting to a post (a plain form POST, or the same form sent by reactions.js)
and the list of members who reacted."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from forum.core.pagination import page_nav, parse_page
from forum.core.safe_redirect import safe_next
from forum.posts import reaction_selectors, reactions
from forum.posts.models import ReactionType
from forum.posts.selectors import get_post_for_user_or_404
from forum.threads.selectors import node_breadcrumb


def _wants_fragment(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _fragment(request, post, *, status: int = 200, error: str = "") -> JsonResponse:
    """The post's summary line and React control, re-rendered for reactions.js."""
    summary = reaction_selectors.reaction_summaries(request.user, [post])[post.pk]
    summary.error = error
    context = {"reactions": summary}
    return JsonResponse(
        {
            "post": post.pk,
            "html": render_to_string("posts/_reactions.html", context, request),
            "control": render_to_string("posts/_react_control.html", context, request),
            "reaction": summary.mine.pk if summary.mine else None,
            "error": error,
        },
        status=status,
    )


def _chosen_type(request) -> ReactionType | None:
    value = request.POST.get("reaction", "")
    return ReactionType.objects.filter(pk=value).first() if value.isdigit() else None


@require_POST
def react(request, pk: int):
    post = get_post_for_user_or_404(request.user, pk)
    back = safe_next(request, request.POST.get("next"), post.get_thread_url())
    if not request.user.is_authenticated:
        if _wants_fragment(request):
            return JsonResponse({"error": "You must log in to react."}, status=403)
        return redirect_to_login(back)
    reaction_type = _chosen_type(request)
    try:
        if reaction_type is None:
            raise reactions.ReactionRefused("That reaction is not available.")
        result = reactions.react_to_post(
            user=request.user, post=post, reaction_type=reaction_type
        )
    except reactions.ReactionRefused as refusal:
        if _wants_fragment(request):
            return _fragment(request, post, status=refusal.status, error=str(refusal))
        messages.error(request, str(refusal))
        return redirect(back)
    if _wants_fragment(request):
        return _fragment(request, result.post)
    return redirect(back)


def reactions_list(request, pk: int):
    post = get_post_for_user_or_404(request.user, pk)
    type_id = request.GET.get("type", "")
    data = reaction_selectors.reactors_page(
        post,
        type_id=int(type_id) if type_id.isdigit() else None,
        page=parse_page(request.GET.get("page")),
    )
    thread = post.thread
    return render(
        request,
        "posts/reactions_list.html",
        {
            "post": post,
            "thread": thread,
            "data": data,
            "nav": page_nav(data.page, data.pages),
            "crumbs": node_breadcrumb(thread.node) + [thread.node],
        },
    )
