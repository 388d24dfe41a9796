"""Forms for quoted articles: a card written by hand."""

from django import forms

from forum.news.models import EXCERPT_MAX_LENGTH, HEADLINE_MAX_LENGTH, NAME_MAX_LENGTH


class CardForm(forms.Form):
    headline = forms.CharField(
        label="Headline",
        max_length=HEADLINE_MAX_LENGTH,
        error_messages={"required": "Please enter the headline."},
    )
    publication_name = forms.CharField(
        label="Publication",
        max_length=NAME_MAX_LENGTH,
        required=False,
        help_text="The newspaper or site, e.g. The Express Tribune.",
    )
    published = forms.DateField(
        label="Date published",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    author = forms.CharField(label="Byline", max_length=NAME_MAX_LENGTH, required=False)
    dateline = forms.CharField(
        label="Dateline",
        max_length=100,
        required=False,
        help_text="Where the story was filed, e.g. Islamabad.",
    )
    excerpt = forms.CharField(
        label="Excerpt",
        max_length=EXCERPT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            f"A short passage from the article, at most {EXCERPT_MAX_LENGTH} "
            "characters."
        ),
    )

    def clean_headline(self):
        headline = " ".join(self.cleaned_data["headline"].split())
        if not headline:
            raise forms.ValidationError("Please enter the headline.")
        return headline
