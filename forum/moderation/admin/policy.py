"""Who may do what where: saving a permission or a moderator refreshes the
permission snapshot and drops every cached page."""

from django.contrib import admin

from forum.core import pagecache
from forum.moderation.models import (
    ForumPermission,
    Moderator,
)
from forum.policy import snapshot as policy


class PolicyAdmin(admin.ModelAdmin):
    """Any change here changes who may see or do what: refresh the snapshot and
    drop every cached guest page."""

    def _changed(self):
        policy.bump_version()
        pagecache.invalidate("site")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self._changed()


@admin.register(ForumPermission)
class ForumPermissionAdmin(PolicyAdmin):
    list_display = [
        "node",
        "role",
        "can_view",
        "can_start_threads",
        "can_reply",
        "can_react",
        "can_upload",
    ]
    list_editable = [
        "can_view",
        "can_start_threads",
        "can_reply",
        "can_react",
        "can_upload",
    ]
    list_filter = ["role", "node"]
    help_texts = "A node without a row for a role takes its parent's settings."


@admin.register(Moderator)
class ModeratorAdmin(PolicyAdmin):
    list_display = ["user", "node", "created_at"]
    raw_id_fields = ["user"]
    list_filter = ["node"]
