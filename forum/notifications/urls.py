from django.urls import path

from forum.notifications import views, watching

app_name = "notifications"

urlpatterns = [
    path("account/alerts", views.alerts, name="alerts"),
    path("account/alerts/recent", views.recent, name="recent"),
    path("account/alerts/read", views.mark_read, name="mark_read"),
    path("account/alerts/<int:pk>/", views.open_alert, name="open"),
    path("account/alert-preferences", watching.preferences, name="preferences"),
    path("account/watched", watching.watched, name="watched"),
    path("threads/<int:pk>/watch", watching.watch_thread, name="watch_thread"),
    path("forums/<int:pk>/watch", watching.watch_forum, name="watch_forum"),
    path("unsubscribe/<str:token>", watching.unsubscribe, name="unsubscribe"),
]
