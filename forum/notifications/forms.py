from django import forms

from forum.notifications.models import ForumWatch, Preferences


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = ["watch_started", "watch_replied", "watch_email", "email_mentions"]
        fields += ["digest"]
        widgets = {"digest": forms.RadioSelect}
        help_texts = {
            "watch_email": "For the threads you watch by starting or replying to "
            "them; a thread you watch yourself asks each time.",
            "digest": "A digest lists your unread alerts, and comes only when you "
            "have not been back since.",
        }


class ThreadWatchForm(forms.Form):
    email = forms.BooleanField(
        label="Also send me an e-mail when someone replies", required=False
    )


class ForumWatchForm(forms.Form):
    mode = forms.ChoiceField(
        label="Alert me about",
        choices=ForumWatch.Mode.choices,
        initial=ForumWatch.Mode.THREADS,
        widget=forms.RadioSelect,
    )
    email = forms.BooleanField(label="Also send me an e-mail", required=False)
