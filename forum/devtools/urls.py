from django.urls import path

from forum.devtools import views

urlpatterns = [
    path("-/ceiling", views.ceiling, name="ceiling"),
]
