"""Reads of attachments: a page of posts' attachments in one query, what a post
shows of them (inline where its body says [ATTACH=id], the rest as a gallery
under it), and who may open one."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from forum.policy import can_view_post
from forum.posts.uploads.markup import PLACEHOLDER, inline_ids
from forum.posts.uploads.models import Attachment


@dataclass
class PostAttachments:
    by_id: dict[int, Attachment] = field(default_factory=dict)
    inline: set[int] = field(default_factory=set)

    @property
    def gallery(self) -> list[Attachment]:
        return [a for pk, a in self.by_id.items() if pk not in self.inline]


def attachments_for_posts(user, posts) -> dict[int, PostAttachments]:
    """Each post's attachments, for a whole page in ONE query (none when no post
    on it carries any: Post.attachment_count)."""
    wanted = [p.pk for p in posts if getattr(p, "attachment_count", 0)]
    if not wanted:
        return {}
    found: dict[int, PostAttachments] = {}
    bodies = {p.pk: p.body_html for p in posts}
    rows = Attachment.objects.filter(post_id__in=wanted).order_by("post_id", "pk")
    for attachment in rows:
        entry = found.setdefault(attachment.post_id, PostAttachments())
        entry.by_id[attachment.pk] = attachment
    for pk, entry in found.items():
        entry.inline = set(inline_ids(bodies[pk])) & set(entry.by_id)
    return found


def swap_inline(body_html: str, data: PostAttachments | None) -> str:
    """The body with each [ATTACH=id] of its own attachments drawn in place."""
    if not data or not data.inline:
        return body_html

    def draw(match):
        attachment = data.by_id.get(int(match[1]))
        if attachment is None:
            return match[0]
        return render_to_string(
            "posts/_attachment_inline.html", {"attachment": attachment}
        ).strip()

    return PLACEHOLDER.sub(draw, body_html)


def gallery_html(data: PostAttachments | None) -> str:
    if not data or not data.gallery:
        return ""
    html = render_to_string("posts/_gallery.html", {"attachments": data.gallery})
    return mark_safe(html)  # noqa: S308 - our own escaped template


def preview_inline(body_html: str, attachments: list[Attachment]) -> str:
    """A preview's body, with the uploads waiting at its place drawn inline."""
    data = PostAttachments(by_id={a.pk: a for a in attachments})
    data.inline = set(inline_ids(body_html)) & set(data.by_id)
    return swap_inline(body_html, data)


def may_open(user, attachment: Attachment) -> bool:
    """Its post's readers; before it is posted, its owner alone."""
    if attachment.post_id is None:
        return user.is_authenticated and attachment.owner_id == user.pk
    return can_view_post(user, attachment.post)


def seen_by_guests(attachment: Attachment) -> bool:
    return attachment.post_id is not None and can_view_post(
        AnonymousUser(), attachment.post
    )
