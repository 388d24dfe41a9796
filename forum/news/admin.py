from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from forum.news import services
from forum.news.models import NewsQuote, PostArticle, Publication


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["name", "domain"]
    search_fields = ["name", "domain"]

    def get_readonly_fields(self, request, obj=None):
        # The domain is the key a fetch looks the publication up by.
        return ["domain"] if obj is not None else []


class PostArticleInline(admin.TabularInline):
    model = PostArticle
    extra = 0
    can_delete = False
    fields = ["post", "position", "url"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description="Fetch the selected articles again")
def fetch_again(modeladmin, request, queryset):
    queued = 0
    for quote in queryset:
        try:
            services.retry_fetch(actor=request.user, quote=quote)
        except services.CardRefused:
            continue
        queued += 1
    skipped = queryset.count() - queued
    message = f"{queued} article(s) will be fetched again."
    if skipped:
        message += f" {skipped} written by hand were left alone."
    modeladmin.message_user(request, message)


@admin.register(NewsQuote)
class NewsQuoteAdmin(admin.ModelAdmin):
    """Cards are read here; they are written by the fetcher or by hand on the
    site's own form (which keeps the hand-written flag right)."""

    list_display = ["__str__", "publication", "status", "fetched_at", "created_at"]
    list_filter = ["status", "manual", "publication"]
    search_fields = ["headline", "url", "author"]
    list_select_related = ["publication"]
    readonly_fields = [
        "url",
        "edit_link",
        "headline",
        "publication",
        "author",
        "published",
        "dateline",
        "image",
        "image_width",
        "image_height",
        "excerpt",
        "status",
        "error",
        "fetched_at",
        "created_by",
        "created_at",
        "manual",
    ]
    exclude = []
    inlines = [PostArticleInline]
    actions = [fetch_again]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    @admin.display(description="Card")
    def edit_link(self, obj):
        return format_html(
            '<a href="{}">Edit the card on the site</a>',
            reverse("news:edit", kwargs={"pk": obj.pk}),
        )
