from django import forms
from django.utils import timezone

from forum.posts.polls.models import Poll
from forum.posts.polls.services import MAX_OPTIONS, PollRefused, PollSpec, _check


class PollForm(forms.Form):
    """A poll's settings. On the new-thread form every field is optional: a
    blank question means no poll."""

    question = forms.CharField(label="Poll question", max_length=200, required=False)
    options = forms.CharField(
        label="Options (one per line)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"From 2 to {MAX_OPTIONS} options.",
    )
    max_choices = forms.IntegerField(
        label="Choices a voter may pick", min_value=1, max_value=MAX_OPTIONS, initial=1
    )
    closes_at = forms.DateTimeField(
        label="Close on (optional)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    results = forms.ChoiceField(
        label="Show results",
        choices=Poll.Results.choices,
        initial="always",
        required=False,
    )
    public_voters = forms.BooleanField(label="Show who voted", required=False)
    allow_change = forms.BooleanField(
        label="Voters may change their vote", required=False
    )

    def __init__(self, *args, required: bool = False, **kwargs):
        kwargs.setdefault("prefix", "poll")
        super().__init__(*args, **kwargs)
        self.required = required
        self.fields["max_choices"].required = False

    def spec(self) -> PollSpec | None:
        """The poll asked for, None when none (call after is_valid)."""
        return self.cleaned_data.get("spec")

    def clean(self):
        data = super().clean()
        question = (data.get("question") or "").strip()
        options = (data.get("options") or "").splitlines()
        if not question and not any(o.strip() for o in options):
            if self.required:
                raise forms.ValidationError("Please enter the poll's question.")
            data["spec"] = None
            return data
        closes_at = data.get("closes_at")
        if closes_at is not None and timezone.is_naive(closes_at):
            closes_at = timezone.make_aware(closes_at)
        spec = PollSpec(
            question=question,
            options=options,
            max_choices=data.get("max_choices") or 1,
            closes_at=closes_at,
            results=data.get("results") or "always",
            public_voters=bool(data.get("public_voters")),
            allow_change=bool(data.get("allow_change")),
        )
        try:
            _check(spec)
        except PollRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        data["spec"] = spec
        return data
