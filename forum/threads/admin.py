"""Nodes (categories and forums). Threads and posts are administered by
forum.moderation (every change to content is a moderator action, logged)."""

from django.contrib import admin

from forum.core.pagecache import invalidate
from forum.policy.snapshot import bump_version
from forum.threads.models import Node


@admin.register(Node)
class NodeAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "parent",
        "display_order",
        "thread_count",
        "post_count",
    ]
    list_editable = ["display_order"]
    list_filter = ["kind", "parent"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["thread_count", "post_count", "last_post_at", "last_poster_name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _forum_tree_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _forum_tree_changed()


def _forum_tree_changed():
    # The permission table maps every forum to its parent's rights: rebuild it.
    bump_version()
    # A forum's name, place or description shows on every page of it, in
    # breadcrumbs and on the index: every cached page is made afresh.
    invalidate("site")
