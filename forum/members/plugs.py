"""How members plugs into the pages below it (called from MembersConfig.ready()):
on a thread page, a post by a member the viewer ignores is collapsed behind a
"Show" summary (the "author" region of forum/posts/pages.py), and the author
card carries Start conversation, Follow and Ignore (the "author-tools"
region: drawn per viewer from the columns read with the viewer's row, no
query)."""

from functools import lru_cache

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from forum.core.perviewer import shared_context
from forum.core.safe_redirect import safe_next as _safe_next
from forum.policy.viewer_parts import member_actions
from forum.posts import extensions


def _collapse_ignored(request, facts=None):
    user = request.user
    ignored = set(user.ignored_members or ()) if user.is_authenticated else set()

    def author(arg: str, inner: str) -> str:
        if not ignored or not arg.isdigit() or int(arg) not in ignored:
            return inner
        return render_to_string("members/_ignored_post.html", {"inner": inner})

    return author


def follows(user, member_id) -> bool:
    """Whether the viewer follows this member."""
    return bool(member_id) and member_id in (
        getattr(user, "followed_members", ()) or ()
    )


def tools_context(user, arg: str) -> dict | None:
    """The author tools' context for `arg` ("12.1": member 12, ignorable)."""
    pk, _, ignorable = arg.partition(".")
    if not pk.isdigit():
        return None
    return {"user": user, "member_id": int(pk), "ignorable": ignorable}


def author_tools(request, facts=None):
    """The tools' filler. Drawn for every post of a page, so written out rather
    than through the template engine (members/_author_tools.html, which the
    profile uses, holds the same markup): twenty template renders cost a
    member's thread page about 15 ms of processor time."""
    user = request.user
    if not user.is_authenticated:
        return lambda arg, inner: ""
    followed = set(user.followed_members or ())
    ignored = set(user.ignored_members or ())
    token = escape(str(shared_context()["csrf_token"]))
    back = escape(request.path)

    def form(name: str, member_id: int, label: str, undo: bool) -> str:
        action = escape(_action_path(name).replace("/0/", f"/{member_id}/", 1))
        undo_input = '<input type="hidden" name="undo" value="1">' if undo else ""
        return (
            f'<form method="post" action="{action}" class="inline-form">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            f'<input type="hidden" name="next" value="{back}">{undo_input}'
            f'<button type="submit" class="button button--small">{label}</button>'
            "</form>"
        )

    def draw(arg: str, inner: str) -> str:
        context = tools_context(user, arg)
        if context is None or context["member_id"] == user.pk:
            return ""
        member_id = context["member_id"]
        follows_them = member_id in followed
        ignores_them = member_id in ignored
        html = [
            '<div class="member-tools">',
            member_actions(user, member_id),
            form(
                "follow",
                member_id,
                "Unfollow" if follows_them else "Follow",
                follows_them,
            ),
        ]
        if context["ignorable"] == "1" or ignores_them:
            label = "Stop ignoring" if ignores_them else "Ignore"
            html.append(form("ignore", member_id, label, ignores_them))
        html.append("</div>")
        return "".join(html)

    return draw


@lru_cache(maxsize=8)
def _action_path(name: str) -> str:
    return reverse(f"members:{name}", args=[0])


def card_tools(request, facts=None):
    """The author card's tools (the "author-tools" region around the card of
    forum/posts' _post.html): the card as everyone sees it, with this viewer's
    Start conversation, Follow and Ignore at its end."""
    draw = author_tools(request)
    user = request.user

    def wrap(arg: str, inner: str) -> str:
        if not user.is_authenticated or arg.partition(".")[0] == str(user.pk):
            return inner
        head, cut, tail = inner.rpartition("</aside>")
        if not cut:
            return inner
        return head + draw(arg, "") + cut + tail

    return wrap


def safe_next(request, fallback: str) -> str:
    """Back where the button was (a thread page), else `fallback`."""
    return _safe_next(request, request.POST.get("next"), fallback)


def install() -> None:
    extensions.register_viewer_part("thread", "author", _collapse_ignored)
    extensions.register_viewer_part("thread", "author-tools", card_tools)
