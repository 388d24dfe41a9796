"""Forms for the moderator tools and for reporting a post."""

import re

from django import forms

from forum.core.text import limit_combining_marks
from forum.moderation.models import Report

REASON_LENGTH = 200


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)", max_length=REASON_LENGTH, required=False
    )


class NodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, node):
        return node.title


def forum_field(forums, *, label="Forum") -> NodeChoiceField:
    return NodeChoiceField(queryset=forums, label=label, empty_label=None)


class MoveThreadForm(ReasonForm):
    def __init__(self, *args, forums, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"] = forum_field(forums, label="Move to forum")
        self.order_fields(["node", "reason"])


_THREAD_IN_URL = re.compile(r"threads/(?:[-\w]+\.)?(\d+)")


def parse_thread_reference(value: str) -> int | None:
    """A thread id, or the address of a thread page."""
    value = (value or "").strip()
    if value.isdigit():
        return int(value)
    found = _THREAD_IN_URL.search(value)
    return int(found.group(1)) if found else None


class ThreadReferenceField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        pk = parse_thread_reference(value)
        if pk is None:
            raise forms.ValidationError("Enter the thread's address (or its number).")
        return pk


class MergeIntoForm(ReasonForm):
    """Merge this thread into another, named by its address."""

    target = ThreadReferenceField(
        label="Merge into thread (address or number)", max_length=300
    )
    field_order = ["target", "reason"]


class MergeChoiceForm(ReasonForm):
    """Inline merge: which of the selected threads survives."""

    def __init__(self, *args, threads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"] = forms.TypedChoiceField(
            label="Keep this thread; the others' posts move into it",
            choices=[(t.pk, t.title) for t in threads],
            coerce=int,
            widget=forms.RadioSelect,
            initial=threads[0].pk if threads else None,
        )
        self.order_fields(["target", "reason"])


class SplitForm(ReasonForm):
    title = forms.CharField(label="Title of the new thread", max_length=200)

    def __init__(self, *args, forums, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"] = forum_field(forums, label="Create it in forum")
        self.order_fields(["title", "node", "reason"])

    def clean_title(self):
        title = limit_combining_marks(" ".join(self.cleaned_data["title"].split()))
        if not title:
            raise forms.ValidationError("Please enter a title.")
        return title


class MovePostsForm(ReasonForm):
    target = ThreadReferenceField(
        label="Move to thread (address or number)", max_length=300
    )
    field_order = ["target", "reason"]


class ReportForm(forms.Form):
    reason = forms.CharField(
        label="What is wrong with this post?",
        max_length=Report._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class HandleReportForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("resolved", "Resolved: action taken"), ("rejected", "Rejected")],
        widget=forms.RadioSelect,
        initial="resolved",
    )
    note = forms.CharField(
        label="Note to the reporters (optional)", max_length=500, required=False
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)", max_length=REASON_LENGTH, required=False
    )


class WarnForm(forms.Form):
    points = forms.IntegerField(label="Points", min_value=1, max_value=100, initial=1)
    reason = forms.CharField(label="Reason", max_length=250)
    days = forms.IntegerField(
        label="Expires after (days; empty: never)",
        min_value=1,
        max_value=3650,
        required=False,
        initial=30,
    )


class BanForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=250)
    days = forms.IntegerField(
        label="Length in days (empty: permanent)",
        min_value=1,
        max_value=3650,
        required=False,
    )


class SpamCleanForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=200, initial="Spam")
    confirm = forms.BooleanField(
        label="Ban this member and delete all their threads and posts",
        required=True,
    )


class IpForm(forms.Form):
    ip = forms.GenericIPAddressField(label="IP address")


class AppealForm(forms.Form):
    text = forms.CharField(
        label="Why should the moderators look again?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A few sentences; one appeal per action.",
    )

    def clean_text(self):
        return limit_combining_marks(self.cleaned_data["text"])


class DecideAppealForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[("uphold", "Uphold: the action stands"), ("overturn", "Overturn")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Note to the member", max_length=500, required=False)
