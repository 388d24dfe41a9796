"""What's new, jumping to unread posts, marking forums read, feeds, sitemaps."""

from django.urls import path, re_path

from forum.core.replica import reads_may_lag
from forum.discovery import sitemaps, views
from forum.discovery.feeds import ForumFeed, ThreadFeed

app_name = "discovery"

NODE = r"^forums/(?:(?P<slug>[-\w]+)\.)?(?P<pk>\d+)/"
THREAD = r"^threads/(?:(?P<slug>[-\w]+)\.)?(?P<pk>\d+)/"

urlpatterns = [
    path("whats-new/", views.whats_new_index, name="whats_new"),
    path("whats-new/posts/", views.whats_new_posts, name="whats_new_posts"),
    path("whats-new/threads/", views.whats_new_threads, name="whats_new_threads"),
    path(
        "whats-new/latest-activity/",
        views.whats_new_activity,
        name="whats_new_activity",
    ),
    re_path(THREAD + r"unread$", views.jump_to_unread, name="unread"),
    re_path(NODE + r"mark-read$", views.mark_forum_read, name="mark_read"),
    path("forums/-/mark-read", views.mark_all_read, name="mark_all_read"),
    # Feeds may lag a moment: read from the replica when there is one.
    path("forums/-/index.rss", reads_may_lag(ForumFeed()), name="feed_all"),
    re_path(NODE + r"index\.rss$", reads_may_lag(ForumFeed()), name="feed_forum"),
    re_path(THREAD + r"index\.rss$", reads_may_lag(ThreadFeed()), name="thread_feed"),
]

# Outside the namespace: crawlers and the sitemap index know them by these names.
seo_urlpatterns = [
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap_section"
    ),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
]
