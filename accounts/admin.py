from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models

from accounts.models import User, UserTitle
from accounts.services import member_changed
from forum.core.markup import render_bbcode
from forum.core.pagecache import invalidate


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "email",
        "custom_title",
        "message_count",
        "reaction_score",
        "country",
        "date_joined",
        "last_login",
        "is_active",
        "is_staff",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "country"]
    search_fields = ["username", "email"]
    readonly_fields = [
        "message_count",
        "reaction_score",
        "last_seen_at",
        "last_post_at",
    ]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            "Profile",
            {
                "fields": [
                    "custom_title",
                    "country",
                    "location",
                    "website",
                    "about",
                    "signature",
                    "theme",
                    "show_last_seen",
                    "message_count",
                    "reaction_score",
                    "last_seen_at",
                    "last_post_at",
                ]
            },
        ),
    )
    show_full_result_count = False
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        # The HTML is rendered when the text is written, here as in the settings.
        if "about" in form.changed_data:
            obj.about_html = render_bbcode(obj.about) if obj.about else ""
        if "signature" in form.changed_data:
            obj.signature_html = render_bbcode(obj.signature) if obj.signature else ""
        super().save_model(request, obj, form, change)
        if change:
            member_changed(obj.pk)  # name, title, avatar...: on every card


@admin.register(UserTitle)
class UserTitleAdmin(admin.ModelAdmin):
    list_display = ["min_messages", "title"]

    def save_model(self, request, obj, form, change):
        from accounts.titles import forget_ladder

        super().save_model(request, obj, form, change)
        forget_ladder()
        invalidate("site")  # titles are on every card

    def delete_model(self, request, obj):
        from accounts.titles import forget_ladder

        super().delete_model(request, obj)
        forget_ladder()
        invalidate("site")


# The admin's own login form has no rate limit; send it to the forum's (allauth's).
# Set here because admin modules are imported before the URLconf is built.
def _install_admin_login():
    from accounts.views import admin_login

    admin.site.login = admin_login


_install_admin_login()
