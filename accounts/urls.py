from django.urls import path, re_path

from accounts import views

app_name = "members"

urlpatterns = [
    path("members/", views.members, name="list"),
    re_path(
        r"^members/(?:(?P<slug>[-\w]+)\.)?(?P<pk>\d+)/$", views.profile, name="profile"
    ),
    path("account/", views.account, name="account"),
    path("account/profile", views.account_profile, name="account_profile"),
    path("account/avatar", views.account_avatar, name="account_avatar"),
    path(
        "account/avatar/remove",
        views.account_avatar_remove,
        name="account_avatar_remove",
    ),
    path("account/delete", views.account_delete, name="account_delete"),
]
