from django.urls import path

from forum.bookmarks import views

app_name = "bookmarks"

urlpatterns = [
    path("account/bookmarks", views.bookmarks, name="list"),
    path("account/bookmarks/<int:pk>/edit", views.edit, name="edit"),
    path("account/bookmarks/<int:pk>/remove", views.remove, name="remove"),
    path("posts/<int:pk>/bookmark", views.add, name="add"),
]
