from django import forms

from forum.bookmarks.models import MAX_NOTE
from forum.bookmarks.services import parse_labels


class BookmarkForm(forms.Form):
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_NOTE}),
    )
    labels = forms.CharField(
        label="Labels",
        required=False,
        max_length=400,
        help_text="Separate labels with commas.",
    )

    def clean_labels(self):
        return parse_labels(self.cleaned_data["labels"])
