"""How members plugs into the pages below it (called from MembersConfig.ready()):
on a thread page, a post by a member the viewer ignores is collapsed behind a
"Show" summary (the "author" region of forum/posts/pages.py), and the author
card carries Start conversation, Follow and Ignore (the "author-tools"
region: drawn per viewer from the columns read with the viewer's row, no
query)."""

from django.template.loader import render_to_string

from forum.core.perviewer import shared_context
from forum.core.safe_redirect import safe_next as _safe_next
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
    user = request.user

    def draw(arg: str, inner: str) -> str:
        context = tools_context(user, arg)
        if context is None:
            return ""
        context |= {"request": request} | shared_context()
        return render_to_string("members/_author_tools.html", context)

    return draw


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
