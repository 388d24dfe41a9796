"""Member pages and the account settings pages (accounts.views), under one
namespace: `members:profile`, `members:account_profile`..."""

from django.urls import path, re_path

from accounts import views as account_views
from forum.members import views

app_name = "members"

urlpatterns = [
    path("members/", views.members, name="list"),
    re_path(
        r"^members/(?:(?P<slug>[-\w]+)\.)?(?P<pk>\d+)/$", views.profile, name="profile"
    ),
    path("members/<int:pk>/ignore", views.ignore, name="ignore"),
    path("members/<int:pk>/follow", views.follow, name="follow"),
    path("account/privacy", views.privacy, name="privacy"),
    path("account/", account_views.account, name="account"),
    path("account/profile", account_views.account_profile, name="account_profile"),
    path("account/avatar", account_views.account_avatar, name="account_avatar"),
    path(
        "account/avatar/remove",
        account_views.account_avatar_remove,
        name="account_avatar_remove",
    ),
    path("account/delete", views.account_delete, name="account_delete"),
]
