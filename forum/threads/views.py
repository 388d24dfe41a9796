"""The forum index and forum pages (a node's threads)."""

from django.shortcuts import redirect, render

from forum.core.pagecache import guest_cached
from forum.core.pagination import parse_page
from forum.threads import selectors
from forum.threads.selectors import get_node_for_user_or_404


@guest_cached(lambda **_: ["index"])
def index(request):
    return render(
        request,
        "threads/index.html",
        {"blocks": selectors.forum_index(request.user)},
    )


@guest_cached(lambda pk, **_: [f"node:{pk}"])
def forum(request, pk: int, slug: str = "", page: int = 1):
    node = get_node_for_user_or_404(request.user, pk)
    if node.is_category:
        return redirect(node.get_absolute_url(), permanent=True)
    page = parse_page(page)
    if slug != node.slug:
        return redirect(_forum_url(node, page), permanent=True)
    data = selectors.forum_page(request.user, node, page)
    if page != data.nav.current:
        return redirect(_forum_url(node, data.nav.current))
    return render(request, "threads/forum.html", {"page": data, "node": node})


def _forum_url(node, page: int) -> str:
    url = node.get_absolute_url()
    return url if page <= 1 else f"{url}page-{page}"
