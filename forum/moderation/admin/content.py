"""Threads and posts in the admin: every change goes through the moderation
services, so admin work is logged (and undoable) exactly like work on the pages."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse

from forum.core import pagecache
from forum.moderation.services import content
from forum.posts.models import Post, PostEdit
from forum.threads.models import Node, Thread


def _logged_action(description: str, service: str, done: str, **flags):
    """An admin action that goes through the moderation service of the same name,
    so admin work is logged (and undoable) exactly like work on the pages."""

    @admin.action(description=description)
    def action(modeladmin, request, queryset):
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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A title, slug, sticky or lock edited here shows at once everywhere.
        pagecache.invalidate(f"thread:{obj.pk}", f"node:{obj.node_id}", "index")

    def has_delete_permission(self, request, obj=None):
        # Deleting rows would skip the counters; soft-delete via the actions.
        return False


class PostEditInline(admin.TabularInline):
    model = PostEdit
    extra = 0
    can_delete = False
    readonly_fields = ["edited_by", "edited_at", "old_body"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description="Soft-delete selected posts")
def delete_posts(modeladmin, request, queryset):
    # Through the moderation services, so admin work is in the moderator log and
    # can be undone there.
    for post in queryset:
        content.delete_post(actor=request.user, post=post, reason="In the admin")
    modeladmin.message_user(request, f"{queryset.count()} posts deleted.")


@admin.action(description="Restore selected posts")
def restore_posts(modeladmin, request, queryset):
    for post in queryset:
        content.restore_post(actor=request.user, post=post, reason="In the admin")
    modeladmin.message_user(request, f"{queryset.count()} posts restored.")


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "author_name",
        "thread",
        "position",
        "created_at",
        "is_deleted",
        "is_approved",
        "ip_address",
    ]
    list_filter = ["is_deleted", "is_approved", "thread__node"]
    search_fields = ["author_name", "body", "=ip_address"]
    raw_id_fields = ["thread", "author", "deleted_by", "last_edited_by"]
    readonly_fields = [
        "thread",
        "position",
        "author",
        "author_name",
        "created_at",
        "body",
        "edited_at",
        "edit_count",
        "is_deleted",
        "deleted_at",
        "deleted_by",
        "delete_reason",
        "ip_address",
    ]
    exclude = ["search_vector"]
    inlines = [PostEditInline]
    actions = [delete_posts, restore_posts]
    list_per_page = 50
    show_full_result_count = False
    date_hierarchy = "created_at"

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
