"""How members plugs into the pages below it (called from MembersConfig.ready()):
on a thread page, a post by a member the viewer ignores is collapsed behind a
"Show" summary (the "author" region of forum/posts/pages.py)."""

from django.template.loader import render_to_string

from forum.posts import extensions


def _collapse_ignored(request, facts=None):
    user = request.user
    ignored = set(user.ignored_members or ()) if user.is_authenticated else set()

    def author(arg: str, inner: str) -> str:
        if not ignored or not arg.isdigit() or int(arg) not in ignored:
            return inner
        return render_to_string("members/_ignored_post.html", {"inner": inner})

    return author


def install() -> None:
    extensions.register_viewer_part("thread", "author", _collapse_ignored)
