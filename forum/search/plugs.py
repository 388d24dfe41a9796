"""How search plugs into the pages below it (called from SearchConfig.ready()):

- under a thread, "Similar threads" (the "thread-footer" region of the thread
  page, a viewer part: the cached list, narrowed to the forums this viewer may
  see);
- on the new-thread form, threads whose titles are like the one typed ("already
  discussed": a thread-form part reading the title; it never holds the post),
  fetched by a script as the title is typed and shown on a preview without one.
"""

from django.template.loader import render_to_string

from forum.posts import extensions
from forum.search import similar


def _thread_footer(request, facts):
    user = request.user

    def draw(arg: str, inner: str) -> str:
        if not arg.isdigit():
            return inner
        threads = similar.similar_to_thread(user, int(arg))
        if not threads:
            return inner
        html = render_to_string("search/_similar_threads.html", {"threads": threads})
        return inner + html

    return draw


def install() -> None:
    extensions.register_viewer_part("thread", "thread-footer", _thread_footer)
    extensions.register_thread_form_part(
        extensions.ThreadFormPart(
            name="similar-titles",
            template="search/_similar_titles.html",
            context_name="similar_titles",
            check_title=similar.similar_titles,
            holds=False,
        )
    )
