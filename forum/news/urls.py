from django.urls import path

from forum.news import views

app_name = "news"

urlpatterns = [
    path("news/<int:pk>/", views.article, name="article"),
    path("news/<int:pk>/edit", views.edit_card, name="edit"),
    path("news/<int:pk>/retry", views.retry, name="retry"),
    path("news/publications/<int:pk>/", views.publication, name="publication"),
    path(
        "news/publications/<int:pk>/page-<int:page>",
        views.publication,
        name="publication_page",
    ),
    path("news/discussed", views.discussed, name="discussed"),
]
