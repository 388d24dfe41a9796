from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from forum.core import views as core_views
from forum.discovery.urls import seo_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("-/ceiling", core_views.ceiling, name="ceiling"),
    path("accounts/", include("allauth.urls")),
    path("", include("forum.members.urls")),
    path("", include("forum.notifications.urls")),
    path("", include("forum.posts.urls")),
    path("", include("forum.threads.urls")),
    path("", include("forum.discovery.urls")),
    path("", include("forum.search.urls")),
    path("", include("forum.news.urls")),
    path("moderation/", include("forum.moderation.urls")),
    *seo_urlpatterns,
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
