"""Whole-page reads for thread pages, and the fetch-and-authorize lookup of a post."""

import copy
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils.safestring import mark_safe

from accounts.titles import title_for, title_ladder
from forum.core.pagination import PageNav, page_nav
from forum.policy import (
    can_delete_post,
    can_edit_post,
    can_manage_poll,
    can_moderate,
    can_react,
    can_reply,
    can_report,
    can_view_post,
    is_banned,
    is_moderator,
    reply_refusal,
)
from forum.posts import extensions
from forum.posts.drafts.services import drafts_since
from forum.posts.models import Post, Reaction
from forum.posts.polls.selectors import poll_for, view_for
from forum.posts.reaction_selectors import attach_reactions
from forum.posts.uploads.selectors import gallery_html
from forum.threads.models import Node, Thread
from forum.threads.selectors import node_breadcrumb


@dataclass
class PostRow:
    post: Post
    can_edit: bool
    can_delete: bool
    author_title: str = ""
    can_report: bool = False
    can_add_poll: bool = False
    # reactions: filled by forum.posts.reaction_selectors.attach_reactions
    reactions: object = None  # ReactionSummary
    can_react: bool = False
    # what the body add-ons (forum.posts.extensions) collected for this post
    addons: dict = field(default_factory=dict)

    @property
    def body(self) -> str:
        """The post's body as shown: its sanitized HTML, with what each add-on
        puts in it (news cards for article links)."""
        html = str(self.post.body_html)
        for addon in extensions.body_addons():
            html = addon.apply(html, self.addons.get(addon.name))
        # Only the renderer's sanitized output and the add-ons' own escaped
        # templates are in it.
        return mark_safe(html)  # noqa: S308

    @property
    def gallery(self) -> str:
        """The post's attachments not placed in its body, under it."""
        return gallery_html(self.addons.get("attachments"))

    @property
    def per_viewer(self) -> bool:
        """Whether what an add-on shows in this post differs per viewer."""
        return any(
            addon.per_viewer(self.addons.get(addon.name))
            for addon in extensions.body_addons()
        )


@dataclass
class ThreadPage:
    thread: Thread
    rows: list[PostRow]
    nav: PageNav
    breadcrumb: list[Node]
    can_reply: bool
    reply_refusal: str
    is_moderator: bool
    poll: object = None  # forum.posts.polls.selectors.PollView
    composer: object = None  # the reply box's (forum.posts.pages)
    composer_form: object = None


def thread_posts(user, thread: Thread, page: int):
    """The posts on one page: an index range on (thread, position), never an OFFSET
    scan, so page 2,500 of a megathread costs what page 1 does. A member's own
    reaction comes with each post (`my_reaction_id`)."""
    qs = (
        Post.objects.in_thread(thread)
        .on_page(page)
        .visible_to(user, thread=thread)
        .select_related("author")
    )
    if can_moderate(user, thread.node):
        qs = qs.select_related("deleted_by")  # "Deleted by ..." on deleted posts
    if user.is_authenticated:  # for reaction_summaries: no query of its own
        mine = Reaction.objects.filter(user_id=user.pk, post=OuterRef("pk"))
        qs = qs.annotate(my_reaction_id=Subquery(mine.values("reaction_type_id")[:1]))
    facts = extensions.viewer_facts() if user.is_authenticated and user.pk else []
    for i, fact in enumerate(facts):  # one value for the page (an InitPlan)
        sql, params = _positional(fact.sql, user.pk, thread.pk)
        qs = qs.annotate(**{f"_fact_{i}": RawSQL(sql, params)})
    # The LIMIT is implied by the range, but saying it steers the planner to the
    # index and a nested loop: on a 50,000-post thread its row estimate for the range
    # alone is in the thousands and it picks a hash join over every member (20 ms
    # instead of 0.4 ms, measured on the 1M-post benchmark board).
    per_page = settings.FORUM_POSTS_PER_PAGE
    posts = list(qs.order_by("position")[:per_page])
    for post in posts:
        post.thread = thread  # every permission check needs it; no re-query
        post.viewer_facts = {
            fact.name: getattr(post, f"_fact_{i}") for i, fact in enumerate(facts)
        }
    return posts


_PARAM = re.compile(r"%\((user|thread)\)s")


def _positional(sql: str, user_id: int, thread_id: int) -> tuple[str, list]:
    """A viewer fact's SQL with %s placeholders, for the ORM's RawSQL."""
    names = _PARAM.findall(sql)
    values = {"user": user_id, "thread": thread_id}
    return _PARAM.sub("%s", sql), [values[name] for name in names]


def viewer_facts_for(user, thread: Thread, posts: list) -> dict:
    """The viewer facts (forum.posts.extensions) for this member and thread: read
    with the posts of the page, or, on a page that shows none, in one query of
    their own (none for a guest or when no app registered a fact)."""
    if posts:
        return getattr(posts[0], "viewer_facts", {})
    facts = extensions.viewer_facts()
    if not facts or not user.is_authenticated or not user.pk:
        return {}
    columns = ", ".join(f"({fact.sql})" for fact in facts)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}", {"user": user.pk, "thread": thread.pk})
        values = cursor.fetchone()
    return {fact.name: value for fact, value in zip(facts, values, strict=True)}


# A member's slice of a page, for filling the holes of a shared render: the facts
# about each post the permission questions need, with the member's own reaction and
# read marker. Not a moderator's (they see hidden posts and never get a shared
# render). Written out, into plain objects, because it runs on every member's page
# view: built by the ORM the same query cost 2.5 ms, into model instances 0.7 ms;
# the SQL itself takes 0.3 ms (measured on the 1M-post benchmark board).
_VIEWER_POSTS_SQL = """
SELECT p.id, p.position, p.author_id, p.created_at, p.is_deleted, p.is_approved,
       (SELECT r.reaction_type_id FROM posts_reaction r
         WHERE r.post_id = p.id AND r.user_id = %(user)s) AS my_reaction_id,
       (SELECT m.last_read_position FROM threads_threadread m
         WHERE m.user_id = %(user)s AND m.thread_id = p.thread_id) AS last_read,
       (SELECT d.id FROM posts_draft d
         WHERE d.owner_id = %(user)s AND d.place = %(place)s
           AND d.updated_at >= %(drafts_since)s) AS draft_id
       /*facts*/
FROM posts_post p
WHERE p.thread_id = %(thread)s AND p.position >= %(start)s AND p.position < %(end)s
  AND NOT p.is_deleted AND (p.is_approved OR p.author_id = %(user)s)
ORDER BY p.position
LIMIT %(limit)s
"""


@dataclass(slots=True)
class ViewerPost:
    """One post of a member's slice of a page. The policy module reads it as it
    reads a Post (the attributes it asks about are the same)."""

    pk: int
    position: int
    author_id: int | None
    created_at: datetime
    is_deleted: bool
    is_approved: bool
    my_reaction_id: int | None  # the member's reaction type on it, if any
    last_read: int | None  # the member's read marker for the thread
    draft_id: int | None  # the member's draft of a reply to it, if any
    thread: Thread
    viewer_facts: dict  # forum.posts.extensions viewer facts, for the page


def _viewer_posts(user, thread: Thread, page: int) -> list[ViewerPost]:
    per_page = settings.FORUM_POSTS_PER_PAGE
    start = (page - 1) * per_page
    params = {
        "user": user.pk,
        "thread": thread.pk,
        "start": start,
        "end": start + per_page,
        "limit": per_page,
        "place": f"thread:{thread.pk}",
        "drafts_since": drafts_since(),
    }
    facts = extensions.viewer_facts()
    columns = "".join(f", ({fact.sql}) AS fact_{i}" for i, fact in enumerate(facts))
    sql = _VIEWER_POSTS_SQL.replace("/*facts*/", columns)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    width = len(rows[0]) - len(facts) if rows else 0
    return [
        ViewerPost(
            *values[:width],
            thread=thread,
            viewer_facts={
                fact.name: value
                for fact, value in zip(facts, values[width:], strict=True)
            },
        )
        for values in rows
    ]


def control_inputs(user, post, my_reaction_id=None) -> tuple:
    """Everything the controls under a post (posts/_post_controls.html) show that
    depends on who is looking, besides what the page as a whole decides (may
    reply, moderates): two viewers with the same inputs see the same controls.
    A post the viewer reacted to says "You": those inputs are theirs alone."""
    return (
        can_edit_post(user, post),
        can_delete_post(user, post),
        can_report(user, post),
        can_react(user, post),
        my_reaction_id,
        _may_add_poll(user, post),
    )


def _may_add_poll(user, post) -> bool:
    """ "Add a poll" under a thread's first post, for its starter or a moderator."""
    thread = post.thread
    return post.position == 0 and not thread.has_poll and can_manage_poll(user, thread)


def _rows(user, thread: Thread, posts: list[Post], *, can_reply: bool) -> list[PostRow]:
    rows = [
        PostRow(
            post=post,
            can_edit=can_edit_post(user, post),
            can_delete=can_delete_post(user, post),
            can_report=can_report(user, post),
            can_add_poll=_may_add_poll(user, post),
        )
        for post in posts
    ]
    attach_reactions(user, rows)  # reactions: constant queries for the page
    return rows


def _attach_addons(user, rows: list[PostRow]) -> None:
    """What each body add-on shows in these posts: one query per add-on for the
    whole page (none when no post needs it)."""
    posts = [row.post for row in rows]
    for addon in extensions.body_addons():
        found = addon.collect(user, posts)
        for row in rows:
            row.addons[addon.name] = found.get(row.post.pk)


def thread_page(user, thread: Thread, page: int) -> ThreadPage:
    allowed = can_reply(user, thread)
    rows = _rows(user, thread, thread_posts(user, thread, page), can_reply=allowed)
    ladder = title_ladder()
    for row in rows:
        row.author_title = title_for(row.post.author, ladder)
    _attach_addons(user, rows)
    return ThreadPage(
        thread=thread,
        rows=rows,
        nav=page_nav(page, thread.page_count),
        breadcrumb=node_breadcrumb(thread.node) + [thread.node],
        can_reply=allowed,
        reply_refusal="" if allowed else reply_refusal(user, thread),
        is_moderator=can_moderate(user, thread.node),
        poll=_poll_view(user, thread),
    )


def _poll_view(user, thread: Thread):
    poll = poll_for(thread)
    return view_for(user, poll) if poll is not None else None


def page_facts(user, thread: Thread) -> tuple:
    """What a thread page as a whole shows differently per viewer: whether they
    may reply (and why not), whether they moderate it (hidden posts, tools). A
    viewer whose facts differ from a shared render's representative gets a page
    of their own (forum/core/perviewer.py)."""
    allowed = can_reply(user, thread)
    return (
        allowed,
        "" if allowed else reply_refusal(user, thread),
        can_moderate(user, thread.node),
        is_moderator(user),  # the header's moderation link
        is_banned(user),
    )


def viewer_posts(user, thread: Thread, page: int) -> list[ViewerPost]:
    """A member's slice of a page, for filling the parts of a shared render: the
    posts without what every viewer shares (bodies, authors, cards), with the
    member's own reaction, their read marker for the thread as `last_read`
    (None: never read) and their draft of a reply as `draft_id`."""
    return _viewer_posts(user, thread, page)


def viewer_rows(
    user, thread: Thread, posts: list[ViewerPost], loaded: dict | None = None
) -> dict[int, PostRow]:
    """Full rows for some of `viewer_posts`, by id, to draw their controls: one
    query for them all, none when there are none or the page just loaded them
    (`loaded`: post id -> Post, from rendering the shared page)."""
    if not posts:
        return {}
    mine = {post.pk: post.my_reaction_id for post in posts}
    if loaded and all(pk in loaded for pk in mine):
        full = [copy.copy(loaded[pk]) for pk in mine]
    else:
        full = list(Post.objects.filter(pk__in=mine).order_by("position"))
    for post in full:
        post.thread = thread
        post.my_reaction_id = mine[post.pk]
    rows = _rows(user, thread, full, can_reply=can_reply(user, thread))
    return {row.post.pk: row for row in rows}


def get_post_for_user_or_404(user, pk: int):
    post = Post.objects.select_related("thread", "thread__node").filter(pk=pk).first()
    if post is None or not can_view_post(user, post):
        raise Http404("No such post.")
    return post
