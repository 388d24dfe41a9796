from django.contrib import admin, messages

from forum.threads.models import Node, SidebarWidget, Thread
from forum.threads.widgets import forget_widgets


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
    from forum.moderation.policy import bump_version

    bump_version()


def _logged_action(description: str, service: str, done: str, **flags):
    """An admin action that goes through the moderation service of the same name,
    so admin work is logged (and undoable) exactly like work on the pages."""

    @admin.action(description=description)
    def action(modeladmin, request, queryset):
        # Lazily: moderation sits above threads and owns the log.
        from forum.moderation.services import content

        act = getattr(content, service)
        for thread in queryset:
            act(actor=request.user, thread=thread, reason="In the admin", **flags)
        modeladmin.message_user(request, f"{queryset.count()} threads {done}.")

    action.__name__ = f"{service}_{'_'.join(map(str, flags.values())) or 'all'}"
    return action


lock_threads = _logged_action(
    "Lock selected threads", "set_locked", "locked", locked=True
)
unlock_threads = _logged_action(
    "Unlock selected threads", "set_locked", "unlocked", locked=False
)
stick_threads = _logged_action(
    "Stick selected threads", "set_sticky", "made sticky", sticky=True
)
unstick_threads = _logged_action(
    "Unstick selected threads", "set_sticky", "unstuck", sticky=False
)
delete_threads = _logged_action(
    "Soft-delete selected threads", "delete_thread", "deleted"
)
restore_threads = _logged_action(
    "Restore selected threads", "restore_thread", "restored"
)


@admin.action(description="Move selected threads to another forum")
def move_threads(modeladmin, request, queryset):
    from django.template.response import TemplateResponse

    from forum.moderation.services import content

    forums = Node.objects.forums()
    target_id = request.POST.get("target_node")
    if target_id:
        target = forums.filter(pk=target_id).first()
        if target is None:
            modeladmin.message_user(request, "Choose a forum.", messages.ERROR)
        else:
            for thread in queryset:
                content.move_thread(
                    actor=request.user,
                    thread=thread,
                    node=target,
                    reason="In the admin",
                )
            modeladmin.message_user(
                request, f"{queryset.count()} threads moved to {target.title}."
            )
            return None
    return TemplateResponse(
        request,
        "admin/threads/move_threads.html",
        {
            **modeladmin.admin_site.each_context(request),
            "threads": queryset,
            "forums": forums,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "title": "Move threads",
        },
    )


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "node",
        "starter_name",
        "reply_count",
        "view_count",
        "last_post_at",
        "is_sticky",
        "is_locked",
        "is_deleted",
    ]
    list_filter = ["node", "is_sticky", "is_locked", "is_deleted"]
    search_fields = ["title", "starter_name"]
    date_hierarchy = "created_at"
    raw_id_fields = ["starter", "deleted_by"]
    readonly_fields = [
        "node",
        "is_deleted",
        "deleted_at",
        "deleted_by",
        "delete_reason",
    ]
    fields = [
        "title",
        "slug",
        "node",
        "starter",
        "starter_name",
        "created_at",
        "is_sticky",
        "is_locked",
        "is_deleted",
        "deleted_at",
        "deleted_by",
        "delete_reason",
    ]
    actions = [
        lock_threads,
        unlock_threads,
        stick_threads,
        unstick_threads,
        move_threads,
        delete_threads,
        restore_threads,
    ]
    list_per_page = 50
    show_full_result_count = False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        # Deleting rows would skip the counters; soft-delete via the actions.
        return False


# --- discovery: sidebar widgets (forum/threads/widgets.py) ---
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
