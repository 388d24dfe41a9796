"""The search page: /search/?q=words&node=&thread=&member=&from=&to=&titles_only=1"""

import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from forum.core.http import client_ip
from forum.core.pagination import parse_page
from forum.search import selectors
from forum.search.forms import SearchForm

RATE_MESSAGE = (
    "You have searched a lot in the last minute. Please wait a moment, then try again."
)


def _over_rate_limit(request) -> bool:
    """Count one search for this member (or address) in the shared cache; True
    once FORUM_SEARCH_RATE_LIMIT (20) searches were made in the current minute."""
    limit = getattr(settings, "FORUM_SEARCH_RATE_LIMIT", 20)
    if limit <= 0:
        return False
    who = (
        f"u{request.user.pk}"
        if request.user.is_authenticated
        else f"ip{client_ip(request)}"
    )
    key = f"search-rate:{who}:{int(time.time() // 60)}"
    # get + set rather than add + incr: half the round trips on the database
    # cache; two racing requests may count once, which a soft limit can afford.
    count = cache.get(key, 0) + 1
    cache.set(key, count, timeout=90)
    return count > limit


def search(request):
    if "q" in request.GET:
        form = SearchForm(request.GET)
    else:  # a bare /search/ or "search this forum": the form, no complaint
        form = SearchForm(initial=request.GET.dict())
    context = {"form": form, "results": None, "refused": ""}
    if form.is_bound and form.is_valid():
        if _over_rate_limit(request):
            context["refused"] = RATE_MESSAGE
        else:
            data = form.cleaned_data
            params = selectors.SearchParams(
                q=data["q"],
                node_id=data.get("node"),
                thread_id=data.get("thread"),
                member=data.get("member", "").strip(),
                date_from=data.get("from"),
                date_to=data.get("to"),
                titles_only=bool(data.get("titles_only")),
            )
            context["results"] = selectors.search_posts(
                request.user, params, parse_page(request.GET.get("page"))
            )
            context["page_query"] = _query_without_page(request)
    status = 429 if context["refused"] else 200
    return render(request, "search/search.html", context, status=status)


def _query_without_page(request) -> str:
    """The query string for page links: every parameter but the page, then "&"."""
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""
