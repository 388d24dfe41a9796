"""Template helpers for discovery: canonical links, thread metadata for search
engines and link previews, sidebar widgets, unread links."""

import json

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from forum.core.paths import path_for
from forum.discovery.seo import thread_summary
from forum.discovery.widgets import sidebar_widgets as load
from forum.threads.models import make_slug, slug_kwargs

register = template.Library()

# The forum list has two addresses; search engines get one.
_CANONICAL_ALIASES = {"threads:forums": "threads:index"}


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's absolute address without tracking or filter parameters: the
    path, plus ?page=N for pages numbered by query (page-N paths keep theirs).
    A view may set `canonical_path` to name another address."""
    request = context.get("request")
    if request is None:
        return ""
    path = context.get("canonical_path") or request.path
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in _CANONICAL_ALIASES:
        path = reverse(_CANONICAL_ALIASES[match.view_name])
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        path = f"{path}?page={int(page)}"
    return request.build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def sidebar_widgets(context, position: str):
    """The sidebar blocks for this page; asked once per request and position (the
    page class and the sidebar itself both need them)."""

    request = context.get("request")
    if request is None:
        return []
    memo = request.__dict__.setdefault("_sidebar_widgets", {})
    if position not in memo:
        memo[position] = load(request.user, position)
    return memo[position]


@register.filter
def unread_url(thread) -> str:
    """Where "jump to the first unread post" goes for this thread."""
    return path_for("discovery:unread", **slug_kwargs(thread.slug, thread.pk))


def _json_ld(data: dict) -> str:
    # JSON inside <script>: escape what could end the element or start markup.
    text = json.dumps(data, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return text


@register.simple_tag(takes_context=True)
def thread_meta(context, thread, page=None):
    """Open Graph tags and a schema.org DiscussionForumPosting for a thread page:
    title, the first post's opening words, the first quoted article's picture."""

    request = context.get("request")
    if request is None:
        return ""
    first = None
    if page is not None and page.rows and page.rows[0].post.position == 0:
        first = page.rows[0].post
    summary = thread_summary(thread, first_post=first)
    url = request.build_absolute_uri(thread.get_absolute_url())
    image = request.build_absolute_uri(summary.image_url) if summary.image_url else ""
    site_name = context.get("SITE_NAME", "")
    tags = [
        mark_safe('<meta property="og:type" content="article">'),
        format_html('<meta property="og:site_name" content="{}">', site_name),
        format_html('<meta property="og:title" content="{}">', thread.title),
        format_html('<meta property="og:url" content="{}">', url),
        format_html('<meta name="description" content="{}">', summary.description),
        format_html(
            '<meta property="og:description" content="{}">', summary.description
        ),
    ]
    if image:
        tags.append(format_html('<meta property="og:image" content="{}">', image))
        tags.append(
            mark_safe('<meta name="twitter:card" content="summary_large_image">')
        )
    author = {"@type": "Person", "name": thread.starter_name}
    if thread.starter_id:
        author["url"] = request.build_absolute_uri(
            reverse(
                "members:profile",
                kwargs={
                    "slug": make_slug(thread.starter_name) or "member",
                    "pk": thread.starter_id,
                },
            )
        )
    data = {
        "@context": "https://schema.org",
        "@type": "DiscussionForumPosting",
        "@id": url,
        "url": url,
        "headline": thread.title,
        "text": summary.description,
        "author": author,
        "datePublished": thread.created_at.isoformat(),
        "dateModified": thread.last_post_at.isoformat(),
        "interactionStatistic": {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/CommentAction",
            "userInteractionCount": thread.reply_count,
        },
    }
    if image:
        data["image"] = image
    tags.append(
        mark_safe(  # noqa: S308 - _json_ld escapes <, > and &
            f'<script type="application/ld+json">{_json_ld(data)}</script>'
        )
    )
    return mark_safe("\n".join(tags))  # noqa: S308 - every part is escaped above
