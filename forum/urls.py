from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from forum.core import seo

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("forum.posts.urls")),
    path("", include("forum.threads.urls")),
    # discovery: search, sitemaps, robots.txt
    path("", include("forum.search.urls")),
    path("sitemap.xml", seo.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", seo.sitemap_section, name="sitemap_section"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("", include("forum.news.urls")),
    path("moderation/", include("forum.moderation.urls")),
]

# Read when the URLconf loads: production (DEBUG off) has no development pages.
if settings.FORUM_DEVTOOLS:
    urlpatterns.insert(1, path("", include("forum.devtools.urls")))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
