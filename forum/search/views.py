"""The search page: /search/?q=words&node=&thread=&member=&from=&to=&titles_only=1"""

from django.shortcuts import render

from forum.core import ratelimit
from forum.core.pagination import parse_page
from forum.core.replica import reads_may_lag
from forum.search import selectors
from forum.search.forms import SearchForm


def _refusal(request) -> str:
    """Count one search for this member (or address); the message when their
    budget ("search" in FORUM_RATE_LIMITS) is spent."""
    try:
        ratelimit.check("search", key=ratelimit.who(request), noun="searches")
    except ratelimit.RateLimited as refusal:
        return str(refusal)
    return ""


@reads_may_lag  # a member who just posted is pinned to the primary
def search(request):
    if "q" in request.GET:
        form = SearchForm(request.GET)
    else:  # a bare /search/ or "search this forum": the form, no complaint
        form = SearchForm(initial=request.GET.dict())
    context = {"form": form, "results": None, "refused": ""}
    if form.is_bound and form.is_valid():
        context["refused"] = _refusal(request)
        if not context["refused"]:
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
