from django.urls import path

from forum.notifications import views

app_name = "notifications"

urlpatterns = [
    path("account/alerts", views.alerts, name="alerts"),
]
