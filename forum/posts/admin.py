"""Reaction types and reactions. Posts are administered by forum.moderation
(every change to a post there is a moderator action, logged)."""

from django.contrib import admin

from forum.posts import reactions
from forum.posts.models import Reaction, ReactionType


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
