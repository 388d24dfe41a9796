"""The search form: the words, and the filters a search may narrow to."""

from django import forms

from forum.threads.prefixes import all_prefixes

MIN_QUERY = 2
MAX_QUERY = 200


class SearchForm(forms.Form):
    """Read from the query string. The date fields are named "from" and "to" in
    the URL (Python keywords, so they are added in __init__)."""

    q = forms.CharField(
        label="Keywords",
        required=False,
        strip=True,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "maxlength": MAX_QUERY}
        ),
        help_text='Put a phrase in "double quotes"; -word leaves a word out.',
    )
    member = forms.CharField(label="Posted by member", required=False, max_length=50)
    node = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    thread = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    titles_only = forms.BooleanField(label="Search titles only", required=False)
    prefix = forms.TypedChoiceField(
        label="Prefix", required=False, coerce=int, empty_value=None
    )
    tag = forms.CharField(label="Tagged", required=False, max_length=50)
    group = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Every matching message"), ("thread", "One result per thread")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offered = all_prefixes().values()
        self.fields["prefix"].choices = [("", "Any")] + [
            (p.pk, p.label) for p in offered
        ]
        date_input = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["from"] = forms.DateField(
            label="Posted on or after",
            required=False,
            input_formats=["%Y-%m-%d"],
            widget=date_input,
        )
        self.fields["to"] = forms.DateField(
            label="Posted on or before",
            required=False,
            input_formats=["%Y-%m-%d"],
            widget=date_input,
        )

    def clean_q(self):
        q = " ".join(self.cleaned_data["q"].split())
        if not q:
            raise forms.ValidationError("Enter some words to search for.")
        if len(q) < MIN_QUERY:
            raise forms.ValidationError(f"Search for at least {MIN_QUERY} characters.")
        if len(q) > MAX_QUERY:
            raise forms.ValidationError(
                f"Search for at most {MAX_QUERY} characters (this has {len(q)})."
            )
        return q

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", "The end date is before the start date.")
        return data
