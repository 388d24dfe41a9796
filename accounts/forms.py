"""Member forms: sign-up (allauth's, with a honeypot) and the account settings.

Every message names the rule that was broken; what the member typed comes back on
an error.
"""

import functools
import zoneinfo

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.validators import URLValidator
from django_countries import countries

from accounts.validators import MAX_LENGTH as USERNAME_MAX_LENGTH
from accounts.validators import MIN_LENGTH as USERNAME_MIN_LENGTH
from forum.core.markup import check_bbcode
from forum.core.text import limit_combining_marks

User = get_user_model()

LOCATION_MAX_LENGTH = 50
WEBSITE_MAX_LENGTH = 200
ABOUT_MAX_LENGTH = 5000
SIGNATURE_MAX_LENGTH = 500


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up form plus a honeypot: a field people never see (it is
    moved off-screen and hidden from assistive technology) that form-filling bots
    tend to fill in. A filled honeypot gets the very page a person sees after
    signing up, and nothing is created, so a bot learns nothing."""

    honeypot_field_name = "homepage"
    field_order = ["username", "email", "password1", "password2"]
    # Filled by the browser (static/js/forum.js) with its own zone; without
    # JavaScript the member gets the board's until they choose one.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.help_text = (
            f"{USERNAME_MIN_LENGTH}–{USERNAME_MAX_LENGTH} characters: letters, "
            "digits, spaces and _ - ."
        )
        username.widget.attrs["maxlength"] = str(USERNAME_MAX_LENGTH)
        self.fields[self.honeypot_field_name] = forms.CharField(
            required=False,
            label="Leave this field empty",
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )

    def save(self, request):
        user = super().save(request)
        zone = valid_zone(self.cleaned_data.get("time_zone", ""))
        if user is not None and zone:
            user.time_zone = zone
            user.save(update_fields=["time_zone"])
        return user

    def try_save(self, request):
        if self.cleaned_data.get(self.honeypot_field_name):
            response = get_adapter().respond_email_verification_sent(request, None)
            return None, response
        if self.account_already_exists:
            # allauth then only queues an "account already exists" mail, which
            # is quick; a real sign-up hashes the password, which is slow. Hash
            # here too, so the time taken does not tell whose address it is.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


def _bbcode_problems(text: str) -> None:
    problems = check_bbcode(text)
    if problems:
        raise forms.ValidationError(problems)


def _length_error(what: str, text: str, limit: int) -> forms.ValidationError:
    return forms.ValidationError(
        f"{what} can be at most {limit:,} characters long; yours has "
        f"{len(text):,}. Please shorten it."
    )


@functools.cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones() - {"localtime", "Factory"}))


def zone_choices():
    from django.conf import settings

    board = settings.TIME_ZONE
    return [("", f"The forum's ({board})"), *((name, name) for name in _zone_names())]


def valid_zone(name: str) -> str:
    """The name if it is a time zone this machine knows, else "" (the board's)."""
    return name if name in _zone_names() else ""


def _country_choices():
    return [("", "(not shown)"), *((c.code, c.name) for c in countries)]


class ProfileForm(forms.Form):
    # Lengths are checked in clean_* (not max_length) so the message can say how
    # long the text was; the maxlength attribute still helps in the browser.
    country = forms.ChoiceField(
        label="Country", required=False, choices=_country_choices
    )
    location = forms.CharField(
        label="Location",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": LOCATION_MAX_LENGTH}),
        help_text=f"A town or region, up to {LOCATION_MAX_LENGTH} characters.",
    )
    website = forms.CharField(
        label="Website",
        required=False,
        widget=forms.URLInput(attrs={"maxlength": WEBSITE_MAX_LENGTH}),
        help_text="An address starting with https:// or http://",
    )
    about = forms.CharField(
        label="About you",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Shown on your profile. BBCode works here.",
    )
    signature = forms.CharField(
        label="Signature",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            f"Shown with your posts, up to {SIGNATURE_MAX_LENGTH} characters. "
            "BBCode works here."
        ),
    )
    theme = forms.ChoiceField(label="Colour theme", choices=User.Theme.choices)
    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,
        choices=lambda: zone_choices(),
        help_text="Every time on the forum is shown in this zone.",
    )
    show_last_seen = forms.BooleanField(
        label="Show others when I was last seen", required=False
    )

    def clean_location(self):
        # Shown as plain text; about and signature are BBCode, which the
        # renderer limits.
        location = limit_combining_marks(
            " ".join(self.cleaned_data["location"].split())
        )
        if len(location) > LOCATION_MAX_LENGTH:
            raise _length_error("Location", location, LOCATION_MAX_LENGTH)
        return location

    def clean_website(self):
        website = self.cleaned_data["website"].strip()
        if not website:
            return ""
        if "://" not in website:
            website = "https://" + website
        if len(website) > WEBSITE_MAX_LENGTH:
            raise _length_error("The website address", website, WEBSITE_MAX_LENGTH)
        validate = URLValidator(
            schemes=["http", "https"],
            message="Please enter a web address such as https://example.com",
        )
        validate(website)
        return website

    def clean_about(self):
        about = self.cleaned_data["about"].replace("\r\n", "\n").strip()
        if len(about) > ABOUT_MAX_LENGTH:
            raise _length_error("About you", about, ABOUT_MAX_LENGTH)
        _bbcode_problems(about)
        return about

    def clean_signature(self):
        signature = self.cleaned_data["signature"].replace("\r\n", "\n").strip()
        if len(signature) > SIGNATURE_MAX_LENGTH:
            raise _length_error("Your signature", signature, SIGNATURE_MAX_LENGTH)
        _bbcode_problems(signature)
        return signature

    @classmethod
    def initial_for(cls, member) -> dict:
        return {name: getattr(member, name) for name in cls.base_fields}


class AvatarForm(forms.Form):
    avatar = forms.FileField(
        label="Choose an image",
        required=True,
        error_messages={"required": "Please choose an image to upload."},
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
        help_text="JPEG, PNG, GIF or WebP, up to 5 MB. It is cropped to a square.",
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Please enter your password to confirm."},
    )

    def __init__(self, *args, member, **kwargs):
        self.member = member
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError(
                "That is not your password. Your account has not been deleted."
            )
        return password


class LoginForm(allauth_forms.LoginForm):
    """allauth's, with the field named for what members type (a username or an
    e-mail address), autofilled as a username, and one reset link (on the page,
    not also in the password's help text)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Username or e-mail"
        login.widget.attrs.update(
            {"autocomplete": "username", "placeholder": "", "autocapitalize": "none"}
        )
        self.fields["password"].help_text = ""
