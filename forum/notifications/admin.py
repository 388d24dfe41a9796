from django.contrib import admin

from forum.notifications.models import Alert, ForumWatch, Preferences, ThreadWatch


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "actor_name", "thread", "count", "updated_at"]
    list_display += ["read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "actor", "thread", "post"]
    # Alerts are written by the services (the member's unread count moves with
    # them): the admin looks, it neither edits nor deletes.
    readonly_fields = [f.name for f in Alert._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ThreadWatch)
class ThreadWatchAdmin(admin.ModelAdmin):
    list_display = ["user", "thread", "email", "created_at"]
    raw_id_fields = ["user", "thread"]


@admin.register(ForumWatch)
class ForumWatchAdmin(admin.ModelAdmin):
    list_display = ["user", "node", "mode", "email", "created_at"]
    raw_id_fields = ["user"]


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    list_display = ["user", "watch_started", "watch_replied", "email_mentions"]
    list_display += ["digest"]
    raw_id_fields = ["user"]
