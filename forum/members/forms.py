from django import forms
from django.contrib.auth import get_user_model


class PrivacyForm(forms.Form):
    conversation_privacy = forms.ChoiceField(
        label="Who may start conversations with you",
        choices=get_user_model().ConversationPrivacy.choices,
        widget=forms.RadioSelect,
        help_text="Staff can always reach you. Members you ignore never can.",
    )
