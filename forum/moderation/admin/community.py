"""Reports, the approval queue, bans and warnings: writes go through the
services, so counters and the log stay right."""

from django.contrib import admin

from forum.moderation.models import (
    Ban,
    MemberWarning,
    PendingPost,
    Report,
)
from forum.moderation.services import community, content


def _handle(modeladmin, request, queryset, resolved: bool):
    closed = 0
    for post_id in (
        queryset.filter(status=Report.Status.OPEN)
        .values_list("post_id", flat=True)
        .distinct()
    ):
        report = queryset.filter(post_id=post_id).select_related("post__thread").first()
        closed += community.handle_reports(
            actor=request.user, post=report.post, resolved=resolved, note=""
        ).count
    modeladmin.message_user(request, f"{closed} reports closed.")


@admin.action(description="Resolve the selected reports (action taken)")
def resolve_reports(modeladmin, request, queryset):
    _handle(modeladmin, request, queryset, True)


@admin.action(description="Reject the selected reports (nothing wrong)")
def reject_reports(modeladmin, request, queryset):
    _handle(modeladmin, request, queryset, False)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["post", "reporter", "reason", "created_at", "status", "handled_by"]
    list_filter = ["status"]
    raw_id_fields = ["post", "reporter", "handled_by"]
    readonly_fields = [
        "post",
        "reporter",
        "reason",
        "created_at",
        "status",
        "handled_by",
        "handled_at",
    ]
    actions = [resolve_reports, reject_reports]

    def has_add_permission(self, request):
        return False


@admin.action(description="Approve the selected posts")
def approve_posts(modeladmin, request, queryset):
    for post in queryset.select_related("thread"):
        content.approve_post(actor=request.user, post=post)
    modeladmin.message_user(request, f"{queryset.count()} posts approved.")


@admin.action(description="Reject the selected posts")
def reject_posts(modeladmin, request, queryset):
    for post in queryset.select_related("thread"):
        content.reject_post(actor=request.user, post=post, reason="Rejected in admin")
    modeladmin.message_user(request, "The posts were rejected.")


@admin.register(PendingPost)
class PendingPostAdmin(admin.ModelAdmin):
    list_display = ["pk", "author_name", "thread", "created_at", "ip_address"]
    readonly_fields = ["thread", "author", "author_name", "created_at", "body"]
    fields = readonly_fields
    actions = [approve_posts, reject_posts]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(is_approved=False, is_deleted=False)
            .select_related("thread")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.action(description="Lift the selected bans")
def lift_bans(modeladmin, request, queryset):
    for ban in queryset.filter(lifted_at__isnull=True):
        community.lift_ban(actor=request.user, ban=ban)
    modeladmin.message_user(request, "The bans were lifted.")


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = [
        "member",
        "reason",
        "source",
        "created_at",
        "expires_at",
        "lifted_at",
    ]
    list_filter = ["source"]
    raw_id_fields = ["member"]
    fields = ["member", "reason", "expires_at"]
    actions = [lift_bans]

    def get_readonly_fields(self, request, obj=None):
        return ["member", "reason", "expires_at"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return
        from django.utils import timezone

        days = None
        if obj.expires_at:
            days = max(1, (obj.expires_at - timezone.now()).days)
        saved = community.ban_member(
            actor=request.user, member=obj.member, reason=obj.reason, days=days
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MemberWarning)
class MemberWarningAdmin(admin.ModelAdmin):
    list_display = [
        "member",
        "points",
        "reason",
        "given_by",
        "created_at",
        "expires_at",
    ]
    raw_id_fields = ["member", "given_by", "post"]
    readonly_fields = ["member", "given_by", "points", "reason", "post", "created_at"]

    def has_add_permission(self, request):
        return False
