"""The members admin: accounts' own, plus deleting accounts with their content
kept (which reaches into posts and threads, so it lives here)."""

from django.contrib import admin, messages

from accounts.admin import UserAdmin
from accounts.models import User
from forum.members import services

admin.site.unregister(User)


@admin.register(User)
class MemberAdmin(UserAdmin):
    actions = ["anonymize_members"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "username" in form.changed_data:
            # Posts, threads and forum lists keep the name they were written
            # under: a rename reaches them too.
            services.rename_content(obj, obj.username)

    @admin.action(description="Delete selected accounts, keeping their posts")
    def anonymize_members(self, request, queryset):
        count = 0
        for member in queryset.filter(is_deleted_member=False):
            if member.pk == request.user.pk:
                continue
            services.delete_account(member=member)
            count += 1
        self.message_user(
            request,
            f"{count} account(s) anonymized; their posts remain.",
            messages.INFO,
        )
