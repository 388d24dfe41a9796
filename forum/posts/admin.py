from django.contrib import admin

from forum.posts import reactions
from forum.posts.models import Post, PostEdit, Reaction, ReactionType


class PostEditInline(admin.TabularInline):
    model = PostEdit
    extra = 0
    can_delete = False
    readonly_fields = ["edited_by", "edited_at", "old_body"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description="Soft-delete selected posts")
def delete_posts(modeladmin, request, queryset):
    # Through the moderation services (lazily: they sit above posts), so admin work
    # is in the moderator log and can be undone there.
    from forum.moderation.services import content

    for post in queryset:
        content.delete_post(actor=request.user, post=post, reason="In the admin")
    modeladmin.message_user(request, f"{queryset.count()} posts deleted.")


@admin.action(description="Restore selected posts")
def restore_posts(modeladmin, request, queryset):
    from forum.moderation.services import content

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


@admin.action(description="Recompute reaction scores for the selected types")
def recompute_reaction_scores(modeladmin, request, queryset):
    for reaction_type in queryset:
        reactions.schedule_score_recompute(reaction_type_id=reaction_type.pk)
    modeladmin.message_user(
        request, "The reaction scores will be recomputed in the background."
    )


@admin.register(ReactionType)
class ReactionTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "emoji", "score", "display_order", "is_active"]
    list_editable = ["display_order", "is_active"]
    actions = [recompute_reaction_scores]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "score" in form.changed_data:
            # Posts and members carrying this type move to the new score once the
            # change is committed (forum/posts/tasks.py).
            reactions.schedule_score_recompute(reaction_type_id=obj.pk)
            self.message_user(
                request,
                "Reaction scores will be recomputed in the background for the new "
                "score.",
            )


@admin.register(Reaction)
class ReactionAdmin(admin.ModelAdmin):
    list_display = ["post", "user", "reaction_type", "created_at"]
    raw_id_fields = ["post", "user"]
    list_filter = ["reaction_type"]
