"""Forms: what the member typed comes back on every error."""

import re

from django import forms

from forum.conversations import selectors
from forum.posts.forms import BodyField

_SPLIT = re.compile(r"[,;\n]+")


class RecipientsField(forms.CharField):
    """Member names separated by commas: cleaned into the members."""

    def clean(self, value):
        value = super().clean(value)
        names = [n for n in _SPLIT.split(value or "") if n.strip()]
        if not names:
            raise forms.ValidationError("Please name at least one member.")
        found, unknown = selectors.members_named(names)
        if unknown:
            raise forms.ValidationError(
                "No member is called " + ", ".join(f"“{n}”" for n in unknown) + "."
            )
        return found


class StartForm(forms.Form):
    recipients = RecipientsField(
        label="With",
        max_length=1000,
        help_text="Member names, separated by commas.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    title = forms.CharField(label="Title", max_length=150)
    body = BodyField()
    open_invite = forms.BooleanField(
        label="Let the others invite more members", required=False
    )


class ReplyForm(forms.Form):
    body = BodyField()


class InviteForm(forms.Form):
    recipients = RecipientsField(
        label="Invite",
        max_length=1000,
        help_text="Member names, separated by commas.",
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label="What is wrong with this message?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
