"""What apps above add to the header and beside a member (forum.policy.viewer_parts'
registries), for templates: always inside a declared part, so a shared render
leaves a slot and the page's filler draws it per viewer."""

from django import template
from django.utils.safestring import mark_safe

from forum.policy import viewer_parts
from forum.policy.rules import is_moderator, is_staff

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_items(context):
    request = context.get("request")
    if request is None:
        return ""
    return mark_safe(viewer_parts.nav_items(request))  # noqa: S308 - our templates


@register.simple_tag(takes_context=True)
def member_actions(context, member_id):
    user = context.get("user")
    if user is None:
        return ""
    html = viewer_parts.member_actions(user, int(member_id))
    return mark_safe(html)  # noqa: S308 - rendered from our templates


@register.filter
def tools_arg(member) -> str:
    """The author tools part's argument: the member's id and whether they may
    be ignored at all ("12.1"), known from the page's own data."""
    ignorable = member.is_active and not (is_staff(member) or is_moderator(member))
    return f"{member.pk}.{int(ignorable)}"
