from django.urls import path, re_path

from forum.threads import discovery_views, views
from forum.threads.feeds import ForumFeed

app_name = "threads"

# XenForo's URL shape: /forums/<slug>.<id>/ ; a missing or stale slug redirects.
NODE = r"^forums/(?:(?P<slug>[-\w]+)\.)?(?P<pk>\d+)/"

urlpatterns = [
    path("", views.index, name="index"),
    path("forums/", views.index, name="forums"),
    re_path(NODE + r"$", views.forum, name="forum"),
    re_path(NODE + r"page-(?P<page>\d+)$", views.forum, name="forum_page"),
    # discovery (forum/threads/discovery_views.py, feeds.py)
    path("whats-new/", discovery_views.whats_new_index, name="whats_new"),
    path("whats-new/posts/", discovery_views.whats_new_posts, name="whats_new_posts"),
    path(
        "whats-new/threads/",
        discovery_views.whats_new_threads,
        name="whats_new_threads",
    ),
    path(
        "whats-new/latest-activity/",
        discovery_views.whats_new_activity,
        name="whats_new_activity",
    ),
    re_path(
        r"^threads/(?:(?P<slug>[-\w]+)\.)?(?P<pk>\d+)/unread$",
        discovery_views.jump_to_unread,
        name="unread",
    ),
    re_path(NODE + r"mark-read$", discovery_views.mark_forum_read, name="mark_read"),
    path("forums/-/mark-read", discovery_views.mark_all_read, name="mark_all_read"),
    path("forums/-/index.rss", ForumFeed(), name="feed_all"),
    re_path(NODE + r"index\.rss$", ForumFeed(), name="feed_forum"),
]
