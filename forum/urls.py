from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from forum.core.csp import report_view as csp_report
from forum.core.health import health
from forum.core.media.views import serve as serve_media
from forum.core.pagejump import jump as page_jump
from forum.core.site_files import favicon
from forum.discovery.urls import seo_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    # The policy's report-uri (forum/settings.py names this address).
    path("csp-report/", csp_report, name="csp_report"),
    # Load balancers and container health checks (forum/core/health.py).
    path("-/health", health, name="health"),
    path("favicon.ico", favicon),
    # The "go to page" box of pages numbered by path (forum/core/pagejump.py).
    path("-/page", page_jump, name="page_jump"),
    path("accounts/", include("allauth.urls")),
    path("", include("forum.core.keep.urls")),
    path("", include("forum.members.urls")),
    path("", include("forum.notifications.urls")),
    path("", include("forum.posts.urls")),
    path("", include("forum.threads.urls")),
    path("", include("forum.discovery.urls")),
    path("", include("forum.search.urls")),
    path("", include("forum.news.urls")),
    path("", include("forum.bookmarks.urls")),
    path("moderation/", include("forum.moderation.urls")),
    path("conversations/", include("forum.conversations.urls")),
    *seo_urlpatterns,
]

# The error pages (forum/core/errors.py); 403 and 404 are Django's own views
# rendering templates/403.html and templates/404.html in the forum's layout.
handler400 = "forum.core.errors.bad_request"
handler500 = "forum.core.errors.server_error"

# Read when the URLconf loads: production (DEBUG off) has no development pages.
if settings.FORUM_DEVTOOLS:
    urlpatterns.insert(1, path("", include("forum.devtools.urls")))

# Media served by the forum, in production too (forum/core/media/views.py), unless
# MEDIA_URL is another site's address (a CDN in front of the bucket).
if settings.MEDIA_URL.startswith("/"):
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", serve_media, name="media")
    )
