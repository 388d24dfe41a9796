"""Sitemaps and robots.txt: what search engines may crawl, and where it is.

/sitemap.xml is a sitemap index naming one file per section and page
(/sitemap-threads.xml?p=2), each of at most SITEMAP_LIMIT addresses, as the
protocol asks (50,000 at most; smaller files are faster to make and to fetch).
Only what a guest may see is listed. Addresses are made absolute from the
request's own host.

"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.contrib.sites.requests import RequestSite
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.xmlutils import SimplerXMLGenerator

from forum.core.replica import reads_may_lag
from forum.policy import visible_node_ids
from forum.threads.models import Node, Thread

SITEMAP_LIMIT = 5000
_XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _guest_node_ids() -> list[int]:
    return sorted(visible_node_ids(AnonymousUser()))


class ForumSitemap(Sitemap):
    limit = SITEMAP_LIMIT
    changefreq = "hourly"

    def items(self):
        return (
            Node.objects.forums()
            .filter(pk__in=_guest_node_ids())
            .only("pk", "slug", "kind", "last_post_at")
            .order_by("pk")
        )

    def lastmod(self, node):
        return node.last_post_at


class ThreadSitemap(Sitemap):
    limit = SITEMAP_LIMIT

    def items(self):
        # Ordered by id so that a thread keeps its sitemap page as others arrive.
        return (
            Thread.objects.visible()
            .filter(node_id__in=_guest_node_ids())
            .only("pk", "slug", "last_post_at")
            .order_by("pk")
        )

    def lastmod(self, thread):
        return thread.last_post_at


SECTIONS = {"forums": ForumSitemap, "threads": ThreadSitemap}


def _xml_response(write) -> HttpResponse:
    response = HttpResponse(content_type="application/xml; charset=utf-8")
    xml = SimplerXMLGenerator(response, "utf-8")
    xml.startDocument()
    write(xml)
    xml.endDocument()
    return response


@reads_may_lag
def sitemap_index(request):
    """The list of sitemap files: one per section and page."""
    locations = []
    for name, section in SECTIONS.items():
        url = request.build_absolute_uri(
            reverse("sitemap_section", kwargs={"section": name})
        )
        for page in section().paginator.page_range:
            locations.append(url if page == 1 else f"{url}?p={page}")

    def write(xml):
        xml.startElement("sitemapindex", {"xmlns": _XMLNS})
        for location in locations:
            xml.startElement("sitemap", {})
            xml.addQuickElement("loc", location)
            xml.endElement("sitemap")
        xml.endElement("sitemapindex")

    return _xml_response(write)


@reads_may_lag
def sitemap_section(request, section: str):
    """One page of one section's addresses."""
    if section not in SECTIONS:
        raise Http404("No such sitemap.")
    try:
        urls = SECTIONS[section]().get_urls(
            page=request.GET.get("p", 1),
            site=RequestSite(request),
            protocol=request.scheme,
        )
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404("No such sitemap page.") from error

    def write(xml):
        xml.startElement("urlset", {"xmlns": _XMLNS})
        for url in urls:
            xml.startElement("url", {})
            xml.addQuickElement("loc", url["location"])
            if url.get("lastmod"):
                xml.addQuickElement(
                    "lastmod", url["lastmod"].isoformat(timespec="seconds")
                )
            if url.get("changefreq"):
                xml.addQuickElement("changefreq", url["changefreq"])
            xml.endElement("url")
        xml.endElement("urlset")

    return _xml_response(write)


def robots_txt(request):
    """Crawl everything but search, posting forms and accounts; here is the map."""
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /search/",
        "Disallow: /account/",
        "Disallow: /accounts/",
        "Disallow: /admin/",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
