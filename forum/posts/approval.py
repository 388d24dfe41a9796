"""The approval queue's rule: which new posts wait for a moderator.

A member's first FORUM_APPROVAL_POSTS posts wait, and so does a new member's post
with more than FORUM_APPROVAL_MAX_LINKS links. The queue itself (approving,
rejecting) is forum.moderation's.
"""

import re

from django.conf import settings

from forum.policy import can_moderate
from forum.posts.models import Post

_LINK = re.compile(r"(?i)\b(?:https?://|ftp://|www\.)|\[url\b|\[img\b")


def count_links(body: str) -> int:
    return len(_LINK.findall(body or ""))


def _approved_posts(user, enough: int) -> int:
    if getattr(user, "message_count", 0) >= enough:
        return enough
    return (
        Post.objects.filter(author_id=user.pk, is_approved=True, is_deleted=False)
        .values("pk")[:enough]
        .count()
    )


def must_approve(user, *, body: str, node=None) -> bool:
    """Whether a new post waits in the approval queue: a member with fewer than
    FORUM_APPROVAL_POSTS approved posts, or a new member (under
    FORUM_NEW_MEMBER_POSTS) whose post has more than FORUM_APPROVAL_MAX_LINKS
    links (None: no link rule). Moderators of the node never wait."""
    needed = getattr(settings, "FORUM_APPROVAL_POSTS", 3)
    max_links = getattr(settings, "FORUM_APPROVAL_MAX_LINKS", 2)
    new_member = getattr(settings, "FORUM_NEW_MEMBER_POSTS", 5)
    enough = max(needed, new_member if max_links is not None else 0)
    if enough <= 0 or getattr(user, "message_count", 0) >= enough:
        return False
    if can_moderate(user, node):
        return False
    approved = _approved_posts(user, enough)
    if approved < needed:
        return True
    return bool(
        max_links is not None
        and approved < new_member
        and count_links(body) > max_links
    )
