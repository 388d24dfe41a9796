"""The "go to page" box of pages numbered by path (`…/page-7`): a plain GET form
that lands here and is sent on to the page asked for, so it works without
JavaScript. Only paths on this site are followed."""

from urllib.parse import urlencode

from django.http import HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect

from forum.core.pagination import parse_page


def jump(request):
    """`?to=/threads/x.1/&page=7&keep=sort%3Dtitle` → /threads/x.1/page-7?sort=title"""
    to = request.GET.get("to", "")
    if not to.startswith("/") or to.startswith("//") or "\\" in to or "?" in to:
        return HttpResponseBadRequest("Not a page of this site.")
    if not to.endswith("/"):
        to += "/"
    page = parse_page(request.GET.get("page"))
    url = to if page <= 1 else f"{to}page-{page}"
    keep = request.GET.get("keep", "")
    if keep:
        url += "?" + urlencode(dict(QueryDict(keep).items()))
    return redirect(url)
