"""The outbox in the admin: what was sent, what is failing and why; failing or
given-up mail can be sent again. Bodies are not shown: they may hold a member's
sign-in or reset link."""

from django.contrib import admin, messages

from forum.core import mail
from forum.core.models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "recipients",
        "kind",
        "status",
        "attempts",
        "error",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "to"]
    fields = [
        "kind",
        "from_email",
        "to",
        "subject",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    readonly_fields = fields
    actions = ["send_again"]
    show_full_result_count = False

    @admin.display(description="To")
    def recipients(self, obj):
        return ", ".join(obj.to)

    @admin.display(description="Last error")
    def error(self, obj):
        text = obj.last_error if obj.status != OutgoingMail.Status.SENT else ""
        return text if len(text) <= 60 else text[:59] + "…"

    @admin.action(description="Send the selected e-mails again now")
    def send_again(self, request, queryset):
        count = mail.send_again(queryset)
        self.message_user(
            request, f"{count} e-mail(s) queued to be sent again.", messages.SUCCESS
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
