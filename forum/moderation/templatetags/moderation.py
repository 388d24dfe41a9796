"""The moderator controls on thread and forum pages. Each tag asks
forum.policy (answers from the cached snapshot: no query per post) and hands
its template booleans."""

from django import template
from django.urls import reverse

from forum.policy import (
    can_moderate,
    can_report,
    can_view_ip,
    can_warn,
    is_awaiting_approval,
)

register = template.Library()


@register.inclusion_tag("moderation/_post_tools.html", takes_context=True)
def post_tools(context, row):
    """Under each post: Report for members; for the forum's moderators a select
    box for the action bar, approve/unapprove, the IP and a warning link."""
    user = context["user"]
    post = row.post
    is_mod = can_moderate(user, post.thread.node)
    author = post.author if is_mod else None  # a member's view needs no author row
    return {
        "post": post,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "is_mod": is_mod,
        "can_report": can_report(user, post),
        "can_ip": is_mod and post.ip_address and can_view_ip(user, post),
        "warn_url": reverse("moderation:warn_post", kwargs={"pk": post.pk})
        if is_mod and author is not None and can_warn(user, author)
        else "",
        "held_thread": is_awaiting_approval(post.thread),
    }


@register.simple_tag(takes_context=True)
def moderates(context, node) -> bool:
    return can_moderate(context["user"], node)


@register.filter
def awaiting_approval(thread) -> bool:
    return is_awaiting_approval(thread)


@register.simple_tag(takes_context=True)
def may_report(context, post) -> bool:
    return can_report(context["user"], post)
