from django.urls import path

from forum.core.keep import views

app_name = "core"

urlpatterns = [
    path("kept/<str:token>/", views.kept, name="kept"),
]
