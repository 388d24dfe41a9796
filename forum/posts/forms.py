"""Forms for writing: the text a member typed always comes back on an error."""

from django import forms
from django.conf import settings

from forum.core.markup import check_bbcode
from forum.core.text import limit_combining_marks

# Beyond this many times the length limit the text is not a post, and parsing it
# for markup problems would only spend time on a refusal already decided.
MARKUP_CHECK_FACTOR = 4


def clean_body_text(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise forms.ValidationError("Please enter a message.")
    limit = settings.FORUM_MAX_BODY_LENGTH
    problems = []
    if len(body) > limit:
        problems.append(
            f"Your message is {len(body):,} characters long; the limit is {limit:,}."
            " Please shorten it."
        )
    if len(body) <= limit * MARKUP_CHECK_FACTOR:
        # Markup problems are reported even on an over-long message, so the member
        # fixes everything in one go (10,000 nested quotes are also too long).
        # check_bbcode measures length against its own constant; the form has
        # already said that, with the configured limit.
        problems += [
            problem
            for problem in check_bbcode(body)
            if not problem.startswith("The message is too long")
        ]
    if problems:
        raise forms.ValidationError(problems)
    return body


class BodyField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 8, "class": "editor"})

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Message")
        kwargs.setdefault("strip", False)
        # No max_length here: the clean method says how long it was.
        super().__init__(**kwargs)

    def clean(self, value):
        return clean_body_text(super().clean(value))


class ReplyForm(forms.Form):
    body = BodyField(required=False)


class ThreadForm(forms.Form):
    title = forms.CharField(label="Title", required=False, strip=True)
    body = BodyField(required=False)

    def clean_title(self):
        # Titles are plain text on every list and page: a pile of combining
        # marks is trimmed here, as the renderer trims it in posts.
        title = limit_combining_marks(" ".join(self.cleaned_data["title"].split()))
        if not title:
            raise forms.ValidationError("Please enter a title.")
        limit = settings.FORUM_MAX_TITLE_LENGTH
        if len(title) > limit:
            raise forms.ValidationError(
                f"The title is {len(title)} characters long; the limit is {limit}."
            )
        return title


class EditPostForm(ReplyForm):
    title = forms.CharField(label="Thread title", required=False)

    def __init__(self, *args, with_title: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]

    def clean_title(self):
        return ThreadForm.clean_title(self)


class DeletePostForm(forms.Form):
    reason = forms.CharField(label="Reason (optional)", max_length=200, required=False)
