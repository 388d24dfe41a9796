"""The bookmark control under a post, as one viewer sees it: the same function
draws it in a thread page's "post-tools" region (plugs.py) and in the answer to
a script that bookmarked a post without leaving the page (views.py)."""

from functools import lru_cache

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from forum.bookmarks.forms import BookmarkForm

_ADD = (
    '<div class="bookmark" id="bookmark-{}">'
    '<form method="post" action="{}" class="bookmark__add js-bookmark-form">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
    '<button type="submit" class="link-button bookmark__toggle">Bookmark</button>'
    "</form>{}</div>"
)


@lru_cache(maxsize=1)
def _add_path() -> str:
    return escape(reverse("bookmarks:add", args=[0]))


def count_html(count: int) -> str:
    if not count:
        return ""
    noun = "member" if count == 1 else "members"
    return format_html(
        '<span class="bookmark__count">Bookmarked by {} {}</span>', count, noun
    )


def control_html(post_id: int, mine: dict | None, count: int, csrf_token: str) -> str:
    """`mine`: the viewer's bookmark of the post ({"id", "note", "labels"}) or
    None; `count`: how many members bookmarked it, shown to its author only (0
    for anyone else)."""
    if mine is None:  # the common case, drawn for every post of a page: no template
        # and no URL reversing per post (both showed in a thread page's profile).
        return mark_safe(  # noqa: S308 - every value escaped or an int
            _ADD.format(
                int(post_id),
                _add_path().replace("/0/", f"/{int(post_id)}/", 1),
                escape(csrf_token),
                count_html(count),
            )
        )
    form = BookmarkForm(
        initial={"note": mine["note"], "labels": ", ".join(mine["labels"])},
        auto_id=f"bookmark-{post_id}-%s",
    )
    context = {
        "post_id": post_id,
        "bookmark": mine,
        "form": form,
        "count": count_html(count),
        "csrf_token": csrf_token,
    }
    return render_to_string("bookmarks/_control.html", context)
