from django.contrib import admin

from forum.discovery.models import SidebarWidget
from forum.discovery.widgets import forget_widgets


@admin.register(SidebarWidget)
class SidebarWidgetAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "node",
        "show_on_index",
        "show_on_threads",
        "show_on_forums",
        "display_order",
        "limit",
        "is_active",
    ]
    list_editable = ["display_order", "limit", "is_active"]
    list_filter = ["is_active", "show_on_index", "show_on_threads", "show_on_forums"]
    list_select_related = ["node"]

    # The sidebar is cached for every viewer: show a change at once.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_widgets()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        forget_widgets()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        forget_widgets()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        forget_widgets()
