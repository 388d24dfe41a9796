from django.urls import path

from forum.conversations import moderator_views, views

app_name = "conversations"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("add", views.add, name="add"),
    path("<int:pk>/", views.view, name="view"),
    path("<int:pk>/page-<int:page>", views.view, name="page"),
    path("<int:pk>/unread", views.unread, name="unread"),
    path("<int:pk>/reply", views.reply, name="reply"),
    path("<int:pk>/invite", views.invite, name="invite"),
    path("<int:pk>/leave", views.leave, name="leave"),
    path("<int:pk>/star", views.star, name="star"),
    path("messages/<int:pk>", views.message, name="message"),
    path("messages/<int:pk>/report", views.report, name="report"),
    path("moderate/", moderator_views.desk, name="desk"),
    path("moderate/held/<int:pk>", moderator_views.held, name="held"),
    path(
        "moderate/reports/<int:pk>", moderator_views.handle_report, name="report_handle"
    ),
    path(
        "moderate/members/<int:pk>", moderator_views.member_right, name="member_right"
    ),
]
