"""Two-step sign-in (allauth.mfa) as the forum wants it: the code form with wrong
codes counted by the forum's login limits (accounts/login_limits.py) before
allauth's own per-address one; and the QR code drawn inline, as SVG markup
(the Content Security Policy allows no data: images)."""

import re

from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base.forms import AuthenticateForm as BaseForm
from django.core.exceptions import ValidationError

from accounts import login_limits


class AuthenticateForm(BaseForm):
    def clean_code(self) -> str:
        request = context.request
        login_limits.check_code(request, self.user)
        try:
            code = super().clean_code()
        except ValidationError as refusal:
            if getattr(refusal, "code", "") != "too_many_login_attempts":
                login_limits.record_code_failure(request, self.user)
            raise
        login_limits.record_code_success(request, self.user)
        return code


_XML_DECLARATION = re.compile(r"^<\?xml[^>]*\?>\s*")


class MFAAdapter(DefaultMFAAdapter):
    def build_totp_svg(self, url: str) -> str:
        svg = _XML_DECLARATION.sub("", super().build_totp_svg(url))
        # qrcode's markup: one path, no script, no style (safe to put inline).
        return svg.replace(
            "<svg ", '<svg class="totp-qr" role="img" aria-label="QR code" ', 1
        )
