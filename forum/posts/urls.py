from django.urls import path, re_path

from forum.posts import live, pages, reaction_views, views

app_name = "posts"

THREAD = r"^threads/(?:(?P<slug>[-\w]+)\.)?(?P<pk>\d+)/"
NODE = r"^forums/(?:(?P<slug>[-\w]+)\.)?(?P<pk>\d+)/"

urlpatterns = [
    re_path(THREAD + r"$", pages.thread, name="thread"),
    re_path(THREAD + r"page-(?P<page>\d+)$", pages.thread, name="thread_page"),
    re_path(THREAD + r"reply$", views.reply, name="reply"),
    re_path(THREAD + r"new-replies$", live.new_replies, name="new_replies"),
    re_path(NODE + r"post-thread$", views.post_thread, name="post_thread"),
    path("posts/<int:pk>/", views.post_redirect, name="post"),
    path("posts/<int:pk>/edit", views.edit, name="edit"),
    path("posts/<int:pk>/delete", views.delete, name="delete"),
    path("posts/<int:pk>/restore", views.restore, name="restore"),
    path("posts/<int:pk>/history", views.history, name="history"),
    # reactions (forum/posts/reaction_views.py)
    path("posts/<int:pk>/react", reaction_views.react, name="react"),
    path("posts/<int:pk>/reactions", reaction_views.reactions_list, name="reactions"),
]
