"""The outbox's line on the admin index (templates/admin/index.html)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from forum.core.mail import undelivered_counts

register = template.Library()


def _mails(count: int) -> str:
    return f"{count} e-mail{'s' if count != 1 else ''}"


@register.simple_tag
def outbox_notice():
    """A warning naming how many mails are failing or given up, linking to
    them; a quiet line when everything has gone out."""
    counts = undelivered_counts()
    retrying, failed = counts["retrying"], counts["failed"]
    changelist = reverse("admin:core_outgoingmail_changelist")
    if not retrying and not failed:
        return format_html(
            '<p class="outbox-notice">Outgoing e-mail: nothing undelivered. '
            '<a href="{}">Outbox</a></p>',
            changelist,
        )
    parts = []
    if retrying:
        parts.append(
            format_html(
                '<a href="{}?status__exact=retrying">{} failing, still being '
                "retried</a>",
                changelist,
                _mails(retrying),
            )
        )
    if failed:
        parts.append(
            format_html(
                '<a href="{}?status__exact=failed">{} given up</a>',
                changelist,
                _mails(failed),
            )
        )
    return format_html(
        '<ul class="messagelist"><li class="warning outbox-notice">'
        "{} undelivered: {}. Check the mail server settings (EMAIL_HOST...) and "
        "the worker's log.</li></ul>",
        _mails(retrying + failed),
        format_html("; ".join(["{}"] * len(parts)), *parts),
    )
