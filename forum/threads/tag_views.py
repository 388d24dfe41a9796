"""The tags index (/tags/), the tag page (/tags/<key>/) and the tag suggestions
of the tag field.

These pages list threads and counts from every forum the viewer may see, so
they are rendered for each viewer (no shared render, no guest cache): what they
show follows the one visibility rule on every request. A tag used only where
the viewer may not look is, to them, no tag at all (a 404, never suggested,
never listed), unless staff made it official: official tags are public on
purpose."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from forum.core import ratelimit
from forum.core.pagination import parse_page
from forum.threads import selectors, tag_counts, tagging


def index(request):
    """Every tag the viewer has threads under, by name, with their counts; the
    filter box (?q=) narrows them to tags whose key holds what was typed."""
    typed = request.GET.get("q", "")[:50].strip()
    found = tag_counts.tag_index(
        request.user,
        key=tagging.normalize(typed),
        page=parse_page(request.GET.get("page")),
        per_page=settings.FORUM_TAGS_PER_PAGE,
    )
    query = urlencode({"q": typed}) + "&" if typed else ""
    return render(
        request,
        "threads/tags.html",
        {"index": found, "typed": typed, "page_query": query},
    )


def tag(request, key: str):
    found = selectors.get_tag_or_404(key)
    page = selectors.tag_page(request.user, found, parse_page(request.GET.get("page")))
    if selectors.hidden_from(request.user, found, seen=page.total):
        raise Http404("No such tag.")  # used only where this viewer may not look
    if found.key != key:  # a synonym, or another spelling
        return redirect(found.get_absolute_url(), permanent=True)
    return render(request, "threads/tag.html", {"page": page, "tag": found})


@require_GET
def suggest(request):
    """Existing tags starting with `q` that the viewer has threads under (or
    official ones), official and most used first, with the viewer's counts, as
    JSON ({"tags": [{"name", "key", "official", "threads"}]}). One query.
    Limited ("tag_suggest"): a 429 with the message and no tags, which the
    script takes as nothing to suggest."""
    try:
        ratelimit.check("tag_suggest", key=ratelimit.who(request), noun="tag look-ups")
    except ratelimit.RateLimited as refusal:
        response = JsonResponse({"tags": [], "error": str(refusal)}, status=429)
        response["Retry-After"] = str(refusal.retry_after)
        return response
    found = tag_counts.suggest(
        request.user, tagging.normalize(request.GET.get("q", "")[:50])
    )
    return JsonResponse(
        {
            "tags": [
                {
                    "name": s.name,
                    "key": s.key,
                    "official": s.official,
                    "threads": s.threads,
                }
                for s in found
            ]
        }
    )
