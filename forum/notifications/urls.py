from django.urls import path, re_path

from forum.notifications import views, watching

app_name = "notifications"

THREAD = r"^threads/(?:(?P<slug>[-\w]+)\.)?(?P<pk>\d+)/"
NODE = r"^forums/(?:(?P<slug>[-\w]+)\.)?(?P<pk>\d+)/"

urlpatterns = [
    path("account/alerts", views.alerts, name="alerts"),
    path("account/alerts/recent", views.recent, name="recent"),
    path("account/alerts/read", views.mark_read, name="mark_read"),
    path("account/alerts/<int:pk>/", views.open_alert, name="open"),
    path("account/alert-preferences", watching.preferences, name="preferences"),
    path("account/watched", watching.watched, name="watched"),
    re_path(THREAD + r"watch$", watching.watch_thread, name="watch_thread"),
    re_path(NODE + r"watch$", watching.watch_forum, name="watch_forum"),
    path("unsubscribe/<str:token>", watching.unsubscribe, name="unsubscribe"),
    path("mentions/names", views.mention_names, name="mention_names"),
]
