from django.urls import path, re_path

from forum.posts import composer, live, pages, reaction_views, views
from forum.posts.polls import views as polls
from forum.posts.uploads import views as uploads

app_name = "posts"

THREAD = r"^threads/(?:(?P<slug>[-\w]+)\.)?(?P<pk>\d+)/"
NODE = r"^forums/(?:(?P<slug>[-\w]+)\.)?(?P<pk>\d+)/"

urlpatterns = [
    re_path(THREAD + r"$", pages.thread, name="thread"),
    re_path(THREAD + r"page-(?P<page>\d+)$", pages.thread, name="thread_page"),
    re_path(THREAD + r"reply$", views.reply, name="reply"),
    re_path(THREAD + r"new-replies$", live.new_replies, name="new_replies"),
    re_path(NODE + r"post-thread$", views.post_thread, name="post_thread"),
    re_path(THREAD + r"poll/vote$", polls.vote, name="poll_vote"),
    re_path(THREAD + r"poll/close$", polls.close, name="poll_close"),
    re_path(THREAD + r"poll/add$", polls.add, name="poll_add"),
    path("posts/<int:pk>/", views.post_redirect, name="post"),
    path("posts/<int:pk>/edit", views.edit, name="edit"),
    path("posts/<int:pk>/delete", views.delete, name="delete"),
    path("posts/<int:pk>/restore", views.restore, name="restore"),
    path("posts/<int:pk>/history", views.history, name="history"),
    # reactions (forum/posts/reaction_views.py)
    path("posts/<int:pk>/react", reaction_views.react, name="react"),
    path("posts/<int:pk>/reactions", reaction_views.reactions_list, name="reactions"),
    # the composer (forum/posts/composer.py)
    path("composer/preview", composer.preview, name="preview"),
    path("composer/draft", composer.save_draft, name="draft_save"),
    path("composer/draft/discard", composer.discard_draft, name="draft_discard"),
    path("help/bbcode", composer.bbcode_help, name="bbcode_help"),
    # attachments (forum/posts/uploads/views.py)
    path("attachments/upload", uploads.upload, name="attachment_upload"),
    path("attachments/<int:pk>/remove", uploads.remove, name="attachment_remove"),
    path("attachments/<int:pk>/<str:digest>/", uploads.serve, name="attachment"),
    path(
        "attachments/<int:pk>/<str:digest>/w<int:width>",
        uploads.serve,
        name="attachment_thumb",
    ),
]
