from django.urls import path, re_path

from forum.threads import tag_views, views

app_name = "threads"

# XenForo's URL shape: /forums/<slug>.<id>/ ; a missing or stale slug redirects.
NODE = r"^forums/(?:(?P<slug>[-\w]+)\.)?(?P<pk>\d+)/"

urlpatterns = [
    path("", views.index, name="index"),
    path("forums/", views.index, name="forums"),
    re_path(NODE + r"$", views.forum, name="forum"),
    re_path(NODE + r"page-(?P<page>\d+)$", views.forum, name="forum_page"),
    re_path(NODE + r"list-view$", views.remember_listing, name="remember_listing"),
    path("tags/", tag_views.index, name="tags"),
    path("tags/suggest", tag_views.suggest, name="tag_suggest"),
    path("tags/<str:key>/", tag_views.tag, name="tag"),
]
