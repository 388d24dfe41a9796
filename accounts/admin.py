from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User, UserTitle


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username", "email", "custom_title", "message_count", "reaction_score",
        "country", "date_joined", "last_login", "is_active", "is_staff",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "country"]
    search_fields = ["username", "email"]
    readonly_fields = ["message_count", "reaction_score", "last_seen_at", "last_post_at"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            "Profile",
            {
                "fields": [
                    "custom_title", "country", "location", "website", "about",
                    "signature", "theme", "show_last_seen",
                    "message_count", "reaction_score", "last_seen_at", "last_post_at",
                ]
            },
        ),
    )
    show_full_result_count = False


@admin.register(UserTitle)
class UserTitleAdmin(admin.ModelAdmin):
    list_display = ["min_messages", "title"]

    def save_model(self, request, obj, form, change):
        from accounts.titles import forget_ladder

        super().save_model(request, obj, form, change)
        forget_ladder()

    def delete_model(self, request, obj):
        from accounts.titles import forget_ladder

        super().delete_model(request, obj)
        forget_ladder()
