"""The forum index and forum pages (a node's threads).

Guests get them from the guest page cache. Members get the shared render of their
role (forum/core/perviewer.py) with their parts filled in, unless the page as a
whole differs for them (they moderate here: the moderator tools; they are banned).
The parts, declared here and nowhere else:

- "nav", "messages", "theme": the page chrome (forum/policy/viewer_parts.py);
- "unread" (forum page: each thread row) and "unread-node" (index and sub-forums:
  each forum row), `{% state %}` parts: the shared render holds each row read and
  unread, and one query of the member's read state says which they get;
- times and the CSRF token: filled by forum/core/perviewer.py itself.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from forum.core.pagecache import guest_cached
from forum.core.pagination import parse_page
from forum.policy import (
    can_moderate,
    can_start_thread,
    is_banned,
    is_moderator,
)
from forum.policy.viewer_parts import member_page
from forum.threads import listing, preferences, prefixes, selectors
from forum.threads.reading import unread_fillers
from forum.threads.selectors import get_node_for_user_or_404


def _index_context(viewer):
    blocks = selectors.forum_index(viewer)
    rows = [row for block in blocks for row in block.forums]
    nodes = [node for row in rows for node in [row.node, *row.subforums]]
    data = {
        "nodes": selectors.node_facts(nodes),
        "subtrees": {row.node.pk: row.subtree for row in rows},
    }
    return {"blocks": blocks}, data


@guest_cached(lambda **_: ["index"])
def index(request):
    return member_page(
        request,
        kind="index",
        depends_on=["index"],
        template="threads/index.html",
        context_for=_index_context,
        parts=lambda data: unread_fillers(request.user, data or {}),
        facts=lambda viewer: (is_moderator(viewer), is_banned(viewer)),
    )


@guest_cached(lambda pk, **_: [f"node:{pk}"])
def forum(request, pk: int, slug: str = "", page: int = 1):
    node = get_node_for_user_or_404(request.user, pk)
    if node.is_category:
        return redirect(node.get_absolute_url(), permanent=True)
    page = parse_page(page)
    offered = prefixes.in_forum(node, request)
    member = request.user.is_authenticated
    choice = listing.parse(request.GET, member=member, prefixes=[p.pk for p in offered])
    canonical = choice.query()
    if member and not request.GET:  # the member's own way here, if they keep one
        stored = preferences.stored(request, node)
        if stored:
            return redirect(_forum_url(node, page, stored))
    if "page" in request.GET:  # the "go to page" box
        page = parse_page(request.GET["page"])
    if slug != node.slug or request.GET.urlencode() != canonical:
        return redirect(_forum_url(node, page, canonical), permanent=not member)
    if choice.is_default:
        per_page = settings.FORUM_THREADS_PER_PAGE
        total_pages = max(1, -(-node.thread_count // per_page))
        if page > total_pages:
            return redirect(_forum_url(node, total_pages))

    def context_for(viewer):
        data = selectors.forum_page(viewer, node, page, choice)
        facts = {
            "threads": selectors.thread_facts(data.threads),
            "nodes": selectors.node_facts(data.subforums),
        }
        context = {
            "page": data,
            "node": node,
            "listing": listing_context(choice, offered, member),
            "base_url": node.get_absolute_url(),
        }
        return context, facts

    return member_page(
        request,
        kind="forum",
        depends_on=[f"node:{pk}"],
        template="threads/forum.html",
        context_for=context_for,
        parts=lambda data: unread_fillers(request.user, data or {}),
        facts=lambda viewer: (
            can_start_thread(viewer, node),
            can_moderate(viewer, node),
            is_moderator(viewer),
            is_banned(viewer),
        ),
        # "Unread only", "watched only": a page of this member's own.
        alone=choice.per_viewer,
    )


def listing_context(choice, offered, member: bool) -> dict:
    """What the sort links and the filter form of a forum page show."""
    return {
        "choice": choice,
        "query": choice.query(),
        "sorts": choice.sort_links(),
        "prefixes": offered,
        "viewer_filters": listing.viewer_filters() if member else [],
        "mine": set(choice.mine),
        # The direction, when it is not the sort's own first one.
        "direction": (
            choice.direction
            if choice.direction != listing.SORTS[choice.sort][1]
            else ""
        ),
    }


@login_required
@require_POST
def remember_listing(request, pk: int, slug: str = ""):
    """Keep the sort and filters of this forum page as the member's own (the
    form under the filters); the default listing forgets them."""
    node = get_node_for_user_or_404(request.user, pk)
    offered = prefixes.in_forum(node, request)
    params = QueryDict(request.POST.get("query", ""))
    choice = listing.parse(params, member=True, prefixes=[p.pk for p in offered])
    preferences.store(request, node, "" if choice.is_default else choice.query())
    messages.success(request, "This forum will open this way for you.")
    return redirect(_forum_url(node, 1, choice.query()))


def _forum_url(node, page: int, query: str = "") -> str:
    url = node.get_absolute_url()
    url = url if page <= 1 else f"{url}page-{page}"
    return f"{url}?{query}" if query else url
