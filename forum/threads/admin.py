"""Nodes (categories and forums), thread prefixes and tags. Threads and posts are
administered by forum.moderation (every change to content is a moderator action,
logged)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction

from forum.core.pagecache import invalidate
from forum.policy.snapshot import bump_version
from forum.threads import prefixes, tagging
from forum.threads.models import Node, Prefix, PrefixGroup, Tag


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
    list_filter = ["kind", "parent", "prefix_required"]
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
    bump_version()
    # A forum's name, place or description shows on every page of it, in
    # breadcrumbs and on the index: every cached page is made afresh.
    invalidate("site")


@admin.register(PrefixGroup)
class PrefixGroupAdmin(admin.ModelAdmin):
    list_display = ["title", "display_order"]
    list_editable = ["display_order"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        prefixes.changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        prefixes.changed()


@admin.register(Prefix)
class PrefixAdmin(admin.ModelAdmin):
    list_display = ["label", "colour", "group", "usable_by", "display_order"]
    list_editable = ["display_order"]
    list_filter = ["group", "usable_by", "forums"]
    search_fields = ["label"]
    filter_horizontal = ["forums"]

    # Every process reads prefixes again; every page that draws one is redrawn.
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        prefixes.changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        prefixes.changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        prefixes.changed()


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "is_official", "synonym_of"]

    def clean_name(self):
        name = tagging.clean_name(self.cleaned_data["name"])
        problem = tagging.check_names([name])
        key = tagging.normalize(name)
        if not key:
            problem = "A tag needs a letter or a digit."
        same = Tag.objects.filter(key=key).exclude(pk=self.instance.pk).first()
        if same is not None:
            problem = (
                f"“{same.name}” is already this tag (tags ignore case and dashes)."
            )
        if problem:
            raise ValidationError(problem)
        return name

    def clean_synonym_of(self):
        target = self.cleaned_data.get("synonym_of")
        if target is not None and target.pk == self.instance.pk:
            raise ValidationError("A tag cannot be a synonym of itself.")
        return target


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Staff make tags official, rename them and point synonyms at a tag (its
    threads move to that tag)."""

    list_display = ["name", "key", "is_official", "synonym_of", "thread_count"]
    list_filter = ["is_official"]
    search_fields = ["name", "key"]
    readonly_fields = ["key", "thread_count", "created_at"]
    fields = ["name", "key", "is_official", "synonym_of", "thread_count", "created_at"]
    autocomplete_fields = ["synonym_of"]
    form = TagForm

    def save_model(self, request, obj, form, change):
        obj.key = tagging.normalize(obj.name)
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            tagging.tag_changed(obj)

    def delete_model(self, request, obj):
        with transaction.atomic():
            threads = tagging.threads_of(obj)
            super().delete_model(request, obj)
            tagging.after_tags_removed(threads)
