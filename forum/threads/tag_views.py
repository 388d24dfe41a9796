"""The tag page (/tags/<key>/) and the tag suggestions of the tag field.

The tag page lists threads from every forum the viewer may see, so it is
rendered for each viewer (no shared render, no guest cache): what it shows
follows the one visibility rule on every request."""

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from forum.core.pagination import parse_page
from forum.threads import selectors, tagging


def tag(request, key: str):
    found = selectors.get_tag_or_404(key)
    if found.key != key:  # a synonym, or another spelling
        return redirect(found.get_absolute_url(), permanent=True)
    page = selectors.tag_page(request.user, found, parse_page(request.GET.get("page")))
    return render(request, "threads/tag.html", {"page": page, "tag": found})


@require_GET
def suggest(request):
    """Existing tags starting with `q`, official and most used first, as JSON
    ({"tags": [{"name", "key", "official", "threads"}]}). One query."""
    found = tagging.suggest(request.GET.get("q", "")[:50])
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
