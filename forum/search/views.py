"""The search page: /search/?q=words&node=&thread=&member=&from=&to=&titles_only=1
&group=thread (one result per thread), and the parameters of the filters other
apps register (forum/search/filters.py).

Results are what everyone who may see the same forums finds: guests get the page
from the guest page cache, members the shared render of their role (forum/core/
perviewer.py), both made afresh by any new post ("index"). Every search that is
not served from a cache counts against the searcher's budget.
"""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from forum.core import ratelimit
from forum.core.pagecache import guest_cached
from forum.core.pagination import parse_page
from forum.core.replica import reads_may_lag
from forum.policy import is_banned, is_moderator
from forum.policy.viewer_parts import member_page
from forum.search import filters, selectors, similar
from forum.search.forms import SearchForm


def _refusal(request) -> str:
    """Count one search for this member (or address); the message when their
    budget ("search" in FORUM_RATE_LIMITS) is spent."""
    try:
        ratelimit.check("search", key=ratelimit.who(request), noun="searches")
    except ratelimit.RateLimited as refusal:
        return str(refusal)
    return ""


def _too_many(refusal) -> JsonResponse:
    response = JsonResponse({"error": str(refusal)}, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    return response


def _form(request) -> SearchForm:
    if "q" in request.GET:
        return SearchForm(request.GET)
    # A bare /search/ or "search this forum": the form, no complaint.
    return SearchForm(initial=request.GET.dict())


def _params(form) -> selectors.SearchParams:
    data = form.cleaned_data
    return selectors.SearchParams(
        q=data["q"],
        node_id=data.get("node"),
        thread_id=data.get("thread"),
        member=data.get("member", "").strip(),
        date_from=data.get("from"),
        date_to=data.get("to"),
        titles_only=bool(data.get("titles_only")),
        prefix_id=data.get("prefix"),
        tag=(data.get("tag") or "").strip(),
        group=data.get("group") == "thread",
        extra=filters.from_query(form.data) if form.is_bound else (),
    )


@reads_may_lag  # a member who just posted is pinned to the primary
@guest_cached(lambda **_: ["index"])  # a new post can be a new result
def search(request):
    form = _form(request)
    searching = form.is_bound and form.is_valid()
    if searching:
        refused = _refusal(request)
        if refused:
            context = {"form": form, "results": None, "refused": refused}
            return render(request, "search/search.html", context, status=429)
    page = parse_page(request.GET.get("page"))

    def context_for(viewer):
        context = {"form": _form(request), "results": None, "refused": ""}
        if searching:
            context["form"].is_valid()
            context["results"] = selectors.search_posts(
                viewer, _params(context["form"]), page
            )
            context["page_query"] = _query_without_page(request)
        return context, None

    return member_page(
        request,
        kind="search",
        depends_on=["index"],
        template="search/search.html",
        context_for=context_for,
        parts=lambda data: {},
        facts=lambda viewer: (is_moderator(viewer), is_banned(viewer)),
    )


def _query_without_page(request) -> str:
    """The query string for page links: every parameter but the page, then "&"."""
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


@login_required
def similar_titles(request):
    """The new-thread form's "already discussed", for a script: threads this
    member may see with titles like ?title=, as HTML in JSON. Limited
    ("similar_titles"): a 429 with the message, which the script passes over
    (what it showed stays)."""
    try:
        ratelimit.check(
            "similar_titles", key=ratelimit.who(request), noun="title look-ups"
        )
    except ratelimit.RateLimited as refusal:
        return _too_many(refusal)
    threads = similar.similar_titles(request.user, request.GET.get("title", ""))
    html = render_to_string(
        "search/_similar_titles_list.html", {"threads": threads}, request
    )
    return JsonResponse({"html": html, "count": len(threads)})
