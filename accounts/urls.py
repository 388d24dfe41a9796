from django.urls import path, re_path

from accounts import views

app_name = "members"

urlpatterns = [
    path("members/", views.members, name="list"),
    re_path(
        r"^members/(?:(?P<slug>[-\w]+)\.)?(?P<pk>\d+)/$", views.profile, name="profile"
    ),
]
