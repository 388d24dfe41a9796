from django.contrib import admin

from forum.notifications.models import Alert


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["user", "text", "created_at", "read_at"]
    raw_id_fields = ["user"]
