"""The moderator log, with undo."""

from django.contrib import admin, messages

from forum.moderation.models import (
    ModeratorLog,
)
from forum.moderation.services.structure import ModerationRefused
from forum.moderation.services.undo import undo_entry


@admin.action(description="Undo the selected actions")
def undo_entries(modeladmin, request, queryset):
    done = 0
    for entry in queryset.order_by("-created_at", "-id"):
        try:
            undo_entry(actor=request.user, entry=entry)
        except ModerationRefused as refusal:
            modeladmin.message_user(
                request, f"{entry}: {refusal}", level=messages.WARNING
            )
        else:
            done += 1
    modeladmin.message_user(request, f"{done} actions undone.")


@admin.register(ModeratorLog)
class ModeratorLogAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor_name",
        "action",
        "target_type",
        "target_label",
        "reason",
        "undone_at",
    ]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_name", "target_label", "reason"]
    date_hierarchy = "created_at"
    actions = [undo_entries]
    list_per_page = 50
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
