from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from forum.core import views as core_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("-/ceiling", core_views.ceiling, name="ceiling"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("forum.posts.urls")),
    path("", include("forum.threads.urls")),
    path("", include("forum.news.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
