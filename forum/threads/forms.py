"""The prefix and tags fields of the new-thread and edit-thread forms."""

from django import forms
from django.conf import settings
from django.urls import reverse

from forum.policy import can_tag_thread
from forum.threads import prefixes, tagging


class LabelsForm(forms.Form):
    """A thread's prefix (those the member may use in the forum) and its tags
    (a comma-separated field; JavaScript suggests existing tags). `thread` is
    None for a new thread. Fields the member may not set are left out."""

    prefix = forms.TypedChoiceField(
        label="Prefix", required=False, coerce=int, empty_value=None
    )
    tags = forms.CharField(label="Tags", required=False, max_length=500)

    def __init__(self, *args, user, node, thread=None, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.node, self.thread = node, thread
        offered = prefixes.usable(user, node, request)
        current = getattr(thread, "prefix_id", None)
        if current and current not in {p.pk for p in offered}:
            kept = prefixes.label_for(current, request)
            offered = [kept, *offered] if kept else offered
        if not offered:
            del self.fields["prefix"]
        else:
            field = self.fields["prefix"]
            field.choices = [("", "(No prefix)"), *_grouped(offered)]
            # Not `required`: a missing prefix gets its own words (clean()).
            field.help_text = " ".join(
                f"{p.label}: {p.usage_help}" for p in offered if p.usage_help
            )
            if thread is not None:
                self.initial.setdefault("prefix", current or "")
        may_tag = thread is None or can_tag_thread(user, thread)
        if not may_tag:
            del self.fields["tags"]
        else:
            most = settings.FORUM_MAX_TAGS_PER_THREAD
            field = self.fields["tags"]
            field.help_text = f"Separate tags with commas; at most {most}."
            field.widget.attrs.update(
                {
                    "class": "tag-input",
                    "autocomplete": "off",
                    "data-tag-suggest": reverse("threads:tag_suggest"),
                }
            )
            if thread is not None and "tags" not in self.initial:
                names = tagging.thread_tags([thread.pk]).get(thread.pk, [])
                self.initial["tags"] = ", ".join(t.name for t in names)

    def clean(self):
        data = super().clean()
        if "prefix" in self.fields and not self.errors.get("prefix"):
            current = getattr(self.thread, "prefix_id", None)
            problem = self._prefix_problem(data.get("prefix"), current)
            if problem:
                self.add_error("prefix", problem)
        elif "prefix" not in self.fields and self.node.prefix_required:
            if self.thread is None:
                self.add_error(None, "This forum needs a prefix, and none is offered.")
        if "tags" in self.fields:
            names = tagging.split_names(data.get("tags") or "")
            problem = tagging.check_names(names)
            if problem:
                self.add_error("tags", problem)
            data["tag_names"] = names
        return data

    def _prefix_problem(self, chosen, current) -> str:
        if chosen and chosen == current:
            return ""
        if not chosen:
            if self.node.prefix_required:
                return "Please choose a prefix: every thread in this forum has one."
            return ""
        offered = {value for value, _label in _flat(self.fields["prefix"].choices)}
        return "" if chosen in offered else "That prefix cannot be used here."

    def labels(self) -> dict:
        """What to hand forum.threads.services.label_thread (after is_valid)."""
        data = self.cleaned_data
        found = {}
        if "prefix" in self.fields:
            found["prefix_id"] = data.get("prefix")
        elif self.thread is not None:
            found["prefix_id"] = self.thread.prefix_id
        if "tags" in self.fields:
            found["tag_names"] = data.get("tag_names", [])
        return found


def _grouped(offered) -> list:
    groups: dict[str, list] = {}
    for item in offered:
        groups.setdefault(item.group, []).append((item.pk, item.label))
    ungrouped = groups.pop("", [])
    return ungrouped + [(title, choices) for title, choices in groups.items()]


def _flat(choices):
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        elif value != "":
            yield value, label
