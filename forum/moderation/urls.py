from django.urls import path

from forum.moderation.views import appeals, members, queues, tools

app_name = "moderation"

urlpatterns = [
    path("", queues.overview, name="index"),
    path("queue/", queues.queue, name="queue"),
    path("reports/", queues.reports, name="reports"),
    path("reports/<int:post_id>/handle", queues.handle_reports, name="handle_reports"),
    path("log/", queues.log, name="log"),
    path("log/<int:pk>/undo", queues.undo, name="undo"),
    # a member's own log and appeals; the moderators' appeals queue
    path("mine/", appeals.my_log, name="my_log"),
    path("mine/<int:pk>/appeal", appeals.appeal, name="appeal"),
    path("appeals/", appeals.queue, name="appeals"),
    path("appeals/<int:pk>/decide", appeals.decide, name="decide_appeal"),
    # thread tools (thread and forum pages)
    path("threads/inline", tools.inline_threads, name="inline_threads"),
    path("threads/<int:pk>/move", tools.move_thread, name="move_thread"),
    path("threads/<int:pk>/merge", tools.merge_thread, name="merge_thread"),
    path("threads/<int:pk>/posts", tools.inline_posts, name="inline_posts"),
    path("threads/<int:pk>/<slug:action>", tools.thread_action, name="thread_action"),
    # post tools
    path("posts/<int:pk>/report", members.report, name="report"),
    path("posts/<int:pk>/ip", members.post_ip, name="post_ip"),
    path("posts/<int:pk>/warn", members.warn_post, name="warn_post"),
    path("posts/<int:pk>/<slug:action>", tools.post_action, name="post_action"),
    # members
    path("banned/", members.banned, name="banned"),
    path("ip/", members.ip_members, name="ip_members"),
    path("members/<int:pk>/", members.member_tools, name="member"),
    path("members/<int:pk>/warn", members.warn, name="warn"),
    path("members/<int:pk>/ban", members.ban, name="ban"),
    path("members/<int:pk>/lift", members.lift, name="lift_ban"),
    path("members/<int:pk>/spam", members.spam_clean, name="spam_clean"),
]
