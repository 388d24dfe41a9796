"""The thread page: /threads/<slug>.<id>/page-N.

Guests get it from the guest page cache (forum/core/pagecache.py). Members get the
shared render of their role (forum/core/perviewer.py) with their own parts filled
in, unless the page as a whole differs for them (they moderate the forum, are
banned, have a post of their own awaiting approval on it): then it is rendered for
them alone. The parts of this page, declared here and nowhere else:

- "nav", "messages", "theme": the page chrome (forum/policy/viewer_parts.py);
- "post": the controls and reactions line under each post (Edit, Delete, Report,
  React, "You and 3 others"): the representative's when this viewer's inputs are
  the same (forum.posts.selectors.control_inputs), else drawn for the viewer;
- "poll": the thread's poll (their votes, whether they may vote, whether the
  results show): the representative's when those are the same, else drawn;
- "composer": the reply box's tools and text (what they may attach, their
  draft restored): always drawn for the viewer;
- "author" (the region of each post) and "thread-tools" (the thread's own
  links under its title): as everyone sees them unless an app above posts
  says otherwise (forum.posts.extensions viewer parts: a post by a member the
  viewer ignores, collapsed; Watch or Unwatch), with the viewer facts read
  along with the viewer's posts;
- times, the CSRF token: filled by forum/core/perviewer.py itself.
"""

from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from forum.core import pagecache
from forum.core.http import visitor_key
from forum.core.pagecache import guest_cached
from forum.core.pagination import parse_page
from forum.core.perviewer import (
    Representative,
    SharedPage,
    UndeclaredPart,
    is_representative,
    shared_context,
    value_marker,
)
from forum.policy import can_reply, can_upload
from forum.policy.viewer_parts import chrome, role
from forum.posts import composer, extensions, places, selectors
from forum.posts.forms import ReplyForm
from forum.posts.polls.selectors import poll_for, render_poll, view_for
from forum.posts.uploads import rules
from forum.posts.uploads.services import pending
from forum.threads.models import Thread
from forum.threads.selectors import authorize_thread
from forum.threads.services import mark_thread_read
from forum.threads.viewcounts import record_view

TEMPLATE = "posts/thread.html"


@guest_cached(lambda pk, **_: [f"thread:{pk}"])
def thread(request, pk: int, slug: str = "", page: int = 1):
    thread = authorize_thread(request.user, pk, _thread_row(request, pk))
    page = parse_page(page)
    if slug != thread.slug or page > thread.page_count:
        target = thread.get_absolute_url(min(page, thread.page_count))
        return redirect(target, permanent=slug != thread.slug)
    record_view(thread.pk, visitor_key(request))
    if request.user.is_authenticated:
        response = _member_page(request, thread, page)
    else:
        response = _own_page(request, thread, page)
    response.page_cache_hook = ("thread-view", thread.pk)  # count cached views too
    return response


def _thread_row(request, pk: int):
    """The thread with its forum, as the page's cached renders know it: kept by
    this process until a write to the thread (or the site) changes its version."""

    def load():
        return next(iter(Thread.objects.select_related("node").filter(pk=pk)[:1]), None)

    names = ["site", f"thread:{pk}"]
    return pagecache.versioned_row(request, names, f"thread:{pk}", load)


def _context(request, data, thread, parts) -> dict:
    form = ReplyForm() if data.can_reply else None
    if data.can_reply:
        data.composer, data.composer_form = _composer(request, thread)
    return {"page": data, "thread": thread, "form": form, "PER_VIEWER_PARTS": parts}


class _Nobody:
    """The composer of nobody in particular: it cannot be drawn (what it offers
    depends on the member), so a shared render holds a slot for it."""

    def __getattr__(self, name):
        raise UndeclaredPart(f"the composer's {name!r} was asked outside a part")


def _composer(request, thread, has_draft: bool = True):
    """The reply box's composer for this viewer, with their draft (no query
    when the page already knows they have none)."""
    if is_representative(request.user):
        return _Nobody(), ReplyForm()
    box = composer.Composer(
        place=places.for_thread(thread),
        may_upload=can_upload(request.user, thread.node),
        allowed=rules.describe_allowed(request.user),
    )
    body = composer.restore_draft(request, box) if has_draft else None
    if box.draft is not None and box.may_upload:
        box.attachments = pending(request.user, box.place)
    return box, ReplyForm(initial={"body": body or ""})


def _composer_part(request, thread, posts):
    # The member's slice of the page says whether they have a draft.
    has_draft = not posts or any(getattr(p, "draft_id", 1) for p in posts[:1])

    def fill(arg: str, inner: str | None) -> str:
        box, form = _composer(request, thread, has_draft)
        context = {"composer": box, "form": form}
        return render_to_string("posts/_composer.html", context, request)

    return fill


def _poll_part(request, thread):
    """The poll as this viewer sees it: the representative's when their votes,
    rights and view of the results are the same, else drawn for them."""
    user = request.user

    def fill(arg: str, inner: str | None) -> str | None:
        poll = poll_for(thread)
        if poll is None or str(poll.pk) != arg:
            return None
        view = view_for(user, poll)
        shared = view_for(Representative(role(user)), poll, frozenset())
        if inner is not None and view.inputs() == shared.inputs():
            return inner
        return render_poll(view, request, csrf_token=value_marker("csrf"))

    return fill


def _parts(request, thread, page: int, posts: list, loaded=None) -> dict:
    """This page's parts for this viewer (see the module docstring)."""
    user = request.user
    representative = Representative(role(user))
    by_id = {post.pk: post for post in posts}
    drawn: dict[int, str] | None = None

    def controls(arg: str, inner: str | None) -> str | None:
        nonlocal drawn
        post = by_id.get(int(arg))
        if post is None:
            return None  # a post this viewer does not see: not their page
        mine = selectors.control_inputs(user, post, post.my_reaction_id)
        if inner is not None and mine == selectors.control_inputs(representative, post):
            return inner  # what the representative saw is what they see
        if drawn is None:  # once, for every post whose controls are this viewer's
            drawn = _draw_controls(request, thread, posts, representative, loaded)
        return drawn.get(post.pk)

    # "author", "thread-tools": regions everyone sees alike unless an app above
    # posts says otherwise for this viewer.
    same = lambda arg, inner: inner  # noqa: E731
    parts = chrome(request) | {
        "post": controls,
        "author": same,
        "thread-tools": same,
        "poll": _poll_part(request, thread),
        "composer": _composer_part(request, thread, posts),
    }
    facts = selectors.viewer_facts_for(user, thread, posts)
    for name, make in extensions.viewer_parts("thread").items():
        parts[name] = make(request, facts)
    return parts


def _draw_controls(request, thread, posts, representative, loaded) -> dict[int, str]:
    user = request.user
    differing = [
        post
        for post in posts
        if selectors.control_inputs(user, post, post.my_reaction_id)
        != selectors.control_inputs(representative, post)
    ]
    rows = selectors.viewer_rows(user, thread, differing or posts, loaded)
    allowed = can_reply(user, thread)
    return {
        pk: render_to_string(
            "posts/_post_controls.html",
            {
                "row": row,
                "post": row.post,
                "thread": thread,
                "can_reply": allowed,
                "is_moderator": False,
                "user": user,
                # The page's one token goes in by the marker (perviewer.fill).
                "csrf_token": value_marker("csrf"),
            },
            request,
        )
        for pk, row in rows.items()
    }


def _own_page(request, thread, page: int, *, mark_read: bool = True):
    """The page rendered for this viewer alone."""
    data = selectors.thread_page(request.user, thread, page)
    if data.rows and mark_read and request.user.is_authenticated:
        last = data.rows[-1].post.position
        mark_thread_read(user=request.user, thread=thread, position=last)
        extensions.run_view_hooks(user=request.user, thread=thread, position=last)
    parts = _parts(request, thread, page, [row.post for row in data.rows])
    return render(request, TEMPLATE, _context(request, data, thread, parts))


def _member_page(request, thread, page: int):
    user = request.user
    facts = selectors.page_facts(user, thread)
    if facts != selectors.page_facts(Representative(role(user)), thread):
        return _own_page(request, thread, page)  # moderators, banned members...
    posts = selectors.viewer_posts(user, thread, page)
    if posts:
        last = posts[-1]
        mark_thread_read(
            user=user, thread=thread, position=last.position, last_read=last.last_read
        )
        extensions.run_view_hooks(user=user, thread=thread, position=last.position)

    loaded: dict = {}  # the posts, when this request renders the shared page

    def render_shared(representative, shared_request):
        data = selectors.thread_page(representative, thread, page)
        loaded.update((row.post.pk, row.post) for row in data.rows)
        if any(row.per_viewer for row in data.rows):
            return None  # an add-on shows these posts differently per viewer
        parts = {}  # a shared render fills nothing: every part becomes a slot
        context = _context(shared_request, data, thread, parts) | shared_context()
        return render_to_string(TEMPLATE, context, shared_request), [
            row.post.pk for row in data.rows
        ]

    shared = SharedPage(
        kind="thread",
        depends_on=[f"thread:{thread.pk}"],
        parts=_parts(request, thread, page, posts, loaded),
        facts=lambda viewer: selectors.page_facts(viewer, thread),
        # The posts of the shared render must be the ones this viewer sees.
        accepts=lambda shown: shown == [post.pk for post in posts],
        render=render_shared,
        own=lambda: _own_page(request, thread, page, mark_read=False),
    )
    return shared.respond(request, role=role(user))
