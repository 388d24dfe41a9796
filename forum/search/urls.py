from django.urls import path

from forum.search import views

app_name = "search"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/similar-titles", views.similar_titles, name="similar_titles"),
]
