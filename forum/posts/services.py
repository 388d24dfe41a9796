"""Writes to posts: start a thread, reply, edit, delete and restore.

Each public function is one user intent in one transaction. Counters (thread, node,
member) move with F() expressions inside that transaction; `manage.py recount`
rebuilds them from the rows and must agree.
"""

import html
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import Count, F, Value
from django.utils import timezone
from django.utils.html import strip_tags

from forum.core.markup import render_bbcode
from forum.core.pagecache import invalidate
from forum.policy import AWAITING_APPROVAL, can_moderate, is_awaiting_approval
from forum.posts import extensions, reactions
from forum.posts.approval import must_approve
from forum.posts.models import Post, PostEdit
from forum.posts.polls import services as polls
from forum.posts.uploads import services as uploads
from forum.threads.models import Node, Thread, make_slug
from forum.threads.services import refresh_node_last_post

User = get_user_model()


class PostingRefused(Exception):
    """A post that may not be made now; str() is the message for the member."""


@dataclass(frozen=True)
class PostResult:
    post: Post
    created: bool  # False when a resubmission found the post already made


def clean_text(text: str) -> str:
    """PostgreSQL text cannot hold NUL; forms refuse it, importers and other callers
    get it dropped here rather than a crash."""
    return text.replace("\x00", "")


def _lock_member(author) -> User:
    # One row lock per member serializes their posting: flood control and the
    # duplicate check below cannot race with a double click.
    return (
        User.objects.select_for_update()
        .only("pk", "last_post_at", "message_count", "is_staff")
        .get(pk=author.pk)
    )


def _check_flood(member, *, now) -> None:
    if member.is_staff or member.last_post_at is None:
        return
    new_member = member.message_count < settings.FORUM_NEW_MEMBER_POSTS
    wait = (
        settings.FORUM_FLOOD_SECONDS_NEW_MEMBER
        if new_member
        else settings.FORUM_FLOOD_SECONDS
    )
    remaining = wait - (now - member.last_post_at).total_seconds()
    if remaining > 0:
        raise PostingRefused(
            f"You must wait {int(remaining) + 1} more seconds before posting again."
        )


def _recent_duplicate(author, *, body: str, now, **filters) -> Post | None:
    since = now - timedelta(seconds=settings.FORUM_DUPLICATE_WINDOW_SECONDS)
    return (
        Post.objects.filter(author=author, body=body, created_at__gte=since, **filters)
        .order_by("-created_at")
        .first()
    )


_TAG_GAP = re.compile(r"<")


def index_post(post: Post, *, title: str = "") -> None:
    """Store the post's search vector: the thread title (weight A) for the first post,
    the rendered text (weight B)."""
    # Tags become spaces: "<li>one</li><li>two</li>" is two words, not "onetwo".
    text = " ".join(
        html.unescape(strip_tags(_TAG_GAP.sub(" <", post.body_html))).split()
    )
    vector = SearchVector(Value(text), weight="B", config="english")
    if title:
        vector = SearchVector(Value(title), weight="A", config="english") + vector
    Post.objects.filter(pk=post.pk).update(search_vector=vector)


def _after_write(post: Post, *, by, **event) -> None:
    """What the apps above posts do with a post just written or edited, in this
    transaction (forum.news records the articles it embeds and queues their
    fetching on commit, so posting never waits for a website; notifications
    records whom it quotes and queues its alerts)."""
    extensions.run_write_hooks(post=post, by=by)
    announce(post=post, by=by, **event)


def announce(*, post: Post, by, kind: str, **details) -> None:
    """Tell the apps above posts about a change to a post (the post hooks of
    forum.posts.extensions, inside the caller's transaction). These services
    call it themselves; moderation calls it when it approves a held reply
    ("approved") or sends one back to the queue ("hidden")."""
    extensions.run_post_hooks(
        extensions.PostEvent(post=post, by=by, kind=kind, **details)
    )


def _count_new_post(*, post: Post, thread: Thread, author, now, new_thread: bool):
    invalidate(
        f"thread:{thread.pk}", f"node:{thread.node_id}", "index", f"member:{author.pk}"
    )
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=F("reply_count") + (0 if new_thread else 1),
        last_post_id=post.pk,
        last_post_position=post.position,
        last_post_at=now,
        last_poster=author,
        last_poster_name=author.username,
    )
    if thread.is_deleted:
        # A staff reply inside a deleted thread: the thread is out of its forum's
        # and its members' counts until restore_thread adds its posts back.
        User.objects.filter(pk=author.pk).update(last_post_at=now)
        return
    Node.objects.filter(pk=thread.node_id).update(
        thread_count=F("thread_count") + (1 if new_thread else 0),
        post_count=F("post_count") + 1,
        last_post_at=now,
        last_post_id=post.pk,
        last_thread=thread,
        last_poster=author,
        last_poster_name=author.username,
    )
    User.objects.filter(pk=author.pk).update(
        message_count=F("message_count") + 1, last_post_at=now
    )


def _hold_new_post(*, post: Post, thread: Thread, author, now, new_thread: bool):
    """A post waiting for approval (forum.posts.approval.must_approve) counts nowhere
    until a moderator approves it; a new thread waiting for approval stays out of
    its forum, soft-deleted and marked AWAITING_APPROVAL, until approving it
    restores it (restore_thread)."""
    invalidate(f"thread:{thread.pk}")
    if new_thread:
        Thread.objects.filter(pk=thread.pk).update(
            is_deleted=True,
            deleted_at=now,
            delete_reason=AWAITING_APPROVAL,
            last_poster=None,
        )
        thread.is_deleted, thread.deleted_at = True, now
        thread.delete_reason, thread.last_poster = AWAITING_APPROVAL, None
    User.objects.filter(pk=author.pk).update(last_post_at=now)


@transaction.atomic
def create_thread(
    *,
    author,
    node: Node,
    title: str,
    body: str,
    ip_address: str | None = None,
    enforce_limits: bool = True,
    at=None,
    place: str | None = None,
    poll=None,
) -> PostResult:
    """Start a thread in a forum: the thread and its first post (position 0).

    `at` backdates the post (imports and demo data); limits still apply to it.
    `place` ("node:3", forum.posts.places): the uploads waiting there become the
    post's attachments. `poll` (forum.posts.polls.services.PollSpec): the
    thread opens with that poll."""
    now = at or timezone.now()
    title = clean_text(title)
    body = extensions.rewrite_body(clean_text(body), author=author)
    member = _lock_member(author)
    duplicate = _recent_duplicate(
        author, body=body, now=now, position=0, thread__title=title
    )
    if duplicate is not None:
        return PostResult(duplicate, created=False)
    if enforce_limits:
        _check_flood(member, now=now)
    held = enforce_limits and must_approve(author, body=body, node=node)
    thread = Thread.objects.create(
        node=node,
        title=title,
        starter=author,
        starter_name=author.username,
        created_at=now,
        last_post_at=now,
        last_poster=author,
        last_poster_name=author.username,
    )
    post = Post.objects.create(
        thread=thread,
        position=0,
        is_approved=not held,
        author=author,
        author_name=author.username,
        created_at=now,
        body=body,
        body_html=render_bbcode(body),
        ip_address=ip_address,
    )
    Thread.objects.filter(pk=thread.pk).update(first_post_id=post.pk)
    thread.first_post_id = post.pk
    if place:
        uploads.claim_for_post(owner=author, place_key=place, post=post)
    if poll is not None:
        polls.add_poll(thread=thread, spec=poll, by=author)
    (_hold_new_post if held else _count_new_post)(
        post=post, thread=thread, author=author, now=now, new_thread=True
    )
    index_post(post, title=title)
    post.thread = thread
    _after_write(post, by=author, kind="created", new_thread=True)
    return PostResult(post, created=True)


@transaction.atomic
def reply_to_thread(
    *,
    author,
    thread: Thread,
    body: str,
    ip_address: str | None = None,
    enforce_limits: bool = True,
    at=None,
    place: str | None = None,
) -> PostResult:
    """Add a post at the end of a thread. Refuses locked threads for non-staff.
    `place` ("thread:12"): the uploads waiting there become its attachments."""
    now = at or timezone.now()
    body = extensions.rewrite_body(clean_text(body), author=author)
    # Lock order everywhere: thread, then post, then member rows, then forum rows.
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    member = _lock_member(author)
    duplicate = _recent_duplicate(author, body=body, now=now, thread=locked)
    if duplicate is not None:
        return PostResult(duplicate, created=False)
    if is_awaiting_approval(locked):
        raise PostingRefused("This thread is awaiting moderator approval.")
    if locked.is_locked and not can_moderate(author, thread.node):
        raise PostingRefused("This thread is locked: no more replies can be posted.")
    if locked.is_deleted and not can_moderate(author, thread.node):
        raise PostingRefused("This thread has been deleted.")
    if enforce_limits:
        _check_flood(member, now=now)
    held = enforce_limits and must_approve(author, body=body, node=thread.node)
    position = locked.last_position + 1
    post = Post.objects.create(
        thread=locked,
        position=position,
        is_approved=not held,
        author=author,
        author_name=author.username,
        created_at=now,
        body=body,
        body_html=render_bbcode(body),
        ip_address=ip_address,
    )
    Thread.objects.filter(pk=locked.pk).update(last_position=position)
    if place:
        uploads.claim_for_post(owner=author, place_key=place, post=post)
    (_hold_new_post if held else _count_new_post)(
        post=post, thread=locked, author=author, now=now, new_thread=False
    )
    index_post(post)
    locked.last_position = position
    post.thread = locked
    _after_write(post, by=author, kind="created")
    return PostResult(post, created=True)


@transaction.atomic
def edit_post(*, editor, post: Post, body: str, title: str | None = None) -> Post:
    """Replace a post's text, keeping the previous text in its edit history.

    An edit that changes nothing records nothing. `title` renames the thread when
    the post is its first.
    """
    body = extensions.rewrite_body(clean_text(body), author=editor)
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    thread = post.thread
    title_changed = title is not None and post.position == 0 and title != thread.title
    if body == post.body and not title_changed:
        return post
    now = timezone.now()
    if body != post.body:
        previous = post.body
        PostEdit.objects.create(
            post=post, edited_by=editor, edited_at=now, old_body=previous
        )
        post.body = body
        post.body_html = render_bbcode(body)
        post.edited_at = now
        post.last_edited_by = editor
        post.edit_count = F("edit_count") + 1
        post.save(
            update_fields=[
                "body",
                "body_html",
                "edited_at",
                "last_edited_by",
                "edit_count",
            ]
        )
        post.refresh_from_db(fields=["edit_count"])
        _after_write(post, by=editor, kind="edited", previous_body=previous)
    if title_changed:
        Thread.objects.filter(pk=thread.pk).update(title=title, slug=make_slug(title))
        thread.title = title
        thread.slug = make_slug(title)
    index_post(post, title=thread.title if post.position == 0 else "")
    invalidate(f"thread:{thread.pk}", f"member:{post.author_id}")
    if title_changed:
        invalidate(f"node:{thread.node_id}", "index", f"member:{thread.starter_id}")
    return post


@transaction.atomic
def claim_uploads(*, editor, post: Post, place: str) -> int:
    """After an edit (whoever made it): the editor's uploads waiting at the
    edit's place ("post:44") join the post's attachments."""
    locked = Post.objects.select_for_update().get(pk=post.pk)
    before = locked.attachment_count
    count = uploads.claim_for_post(owner=editor, place_key=place, post=locked)
    if count != before:
        invalidate(f"thread:{locked.thread_id}")
    return count


def _member_counts_for(posts_qs) -> dict[int, int]:
    rows = (
        posts_qs.exclude(author=None)
        .values("author_id")
        .annotate(n=Count("id"))
        .values_list("author_id", "n")
    )
    return dict(rows)


def _shift_member_counts(counts: dict[int, int], sign: int) -> None:
    for author_id, n in sorted(counts.items()):  # one row-lock order for all
        User.objects.filter(pk=author_id).update(
            message_count=F("message_count") + sign * n
        )
    # Their profiles list their visible posts and count them.
    invalidate(*(f"member:{author_id}" for author_id in counts))


def _refresh_thread_last_post(thread_id: int) -> None:
    invalidate(f"thread:{thread_id}")
    last = (
        Post.objects.visible()
        .filter(thread_id=thread_id)
        .order_by("-position")
        .only("pk", "position", "created_at", "author_id", "author_name")
        .first()
    )
    if last is None:
        return
    Thread.objects.filter(pk=thread_id).update(
        last_post_id=last.pk,
        last_post_position=last.position,
        last_post_at=last.created_at,
        last_poster_id=last.author_id,
        last_poster_name=last.author_name,
    )


@transaction.atomic
def delete_post(*, actor, post: Post, reason: str = "") -> None:
    """Soft-delete a post (restorable). Deleting the first post deletes the thread."""
    reactions.lock_out_reactions(post.thread_id)  # before any row lock
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if post.is_deleted:
        return
    if post.position == 0:
        delete_thread(actor=actor, thread=post.thread, reason=reason)
        return
    thread = Thread.objects.select_for_update().get(pk=post.thread_id)
    now = timezone.now()
    Post.objects.filter(pk=post.pk).update(
        is_deleted=True, deleted_at=now, deleted_by=actor, delete_reason=reason
    )
    post.is_deleted = True
    announce(post=post, by=actor, kind="hidden")
    # The thread's own reply count moves even while the thread is deleted; its
    # forum's and members' counts only while it is visible (see delete_thread).
    if post.is_approved:
        Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") - 1)
    if post.is_approved and not thread.is_deleted:
        if post.author_id:
            _shift_member_counts({post.author_id: 1}, -1)
        Node.objects.filter(pk=thread.node_id).update(post_count=F("post_count") - 1)
        reactions.on_posts_visibility_changed([post.pk], visible=False)
    _refresh_thread_last_post(thread.pk)
    refresh_node_last_post(thread.node_id)


@transaction.atomic
def restore_post(*, actor, post: Post) -> None:
    reactions.lock_out_reactions(post.thread_id)  # before any row lock
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if not post.is_deleted:
        return
    if post.position == 0:
        restore_thread(actor=actor, thread=post.thread)
        return
    thread = Thread.objects.select_for_update().get(pk=post.thread_id)
    Post.objects.filter(pk=post.pk).update(
        is_deleted=False, deleted_at=None, deleted_by=None, delete_reason=""
    )
    post.is_deleted = False
    announce(post=post, by=actor, kind="shown")
    # The thread's own reply count moves even while the thread is deleted; its
    # forum's and members' counts only while it is visible (see delete_thread).
    if post.is_approved:
        Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") + 1)
    if post.is_approved and not thread.is_deleted:
        if post.author_id:
            _shift_member_counts({post.author_id: 1}, +1)
        Node.objects.filter(pk=thread.node_id).update(post_count=F("post_count") + 1)
        reactions.on_posts_visibility_changed([post.pk], visible=True)
    _refresh_thread_last_post(thread.pk)
    refresh_node_last_post(thread.node_id)


@transaction.atomic
def delete_thread(*, actor, thread: Thread, reason: str = "") -> None:
    """Soft-delete a thread: it leaves the forum's counts and its posts leave their
    authors' message counts; the posts themselves keep their own state."""
    reactions.lock_out_reactions(thread.pk)  # before any row lock
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.is_deleted:
        return
    visible = Post.objects.visible().filter(thread=thread)
    counts = _member_counts_for(visible)
    Thread.objects.filter(pk=thread.pk).update(
        is_deleted=True,
        deleted_at=timezone.now(),
        deleted_by=actor,
        delete_reason=reason,
    )
    reactions.on_posts_visibility_changed(visible.values("pk"), visible=False)
    invalidate(f"thread:{thread.pk}")
    _shift_member_counts(counts, -1)
    Node.objects.filter(pk=thread.node_id).update(
        thread_count=F("thread_count") - 1,
        # Every visible post, including those of accounts since deleted.
        post_count=F("post_count") - (thread.reply_count + 1),
    )
    refresh_node_last_post(thread.node_id)


@transaction.atomic
def restore_thread(*, actor, thread: Thread) -> None:
    reactions.lock_out_reactions(thread.pk)  # before any row lock
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if not thread.is_deleted:
        return
    held = is_awaiting_approval(thread)
    if held:
        # Restoring a thread held for approval approves its opening post.
        Post.objects.filter(thread=thread, position=0).update(is_approved=True)
    visible = Post.objects.visible().filter(thread=thread)
    counts = _member_counts_for(visible)
    Thread.objects.filter(pk=thread.pk).update(
        is_deleted=False, deleted_at=None, deleted_by=None, delete_reason=""
    )
    reactions.on_posts_visibility_changed(visible.values("pk"), visible=True)
    invalidate(f"thread:{thread.pk}")
    _shift_member_counts(counts, +1)
    Node.objects.filter(pk=thread.node_id).update(
        thread_count=F("thread_count") + 1,
        # Every visible post, including those of accounts since deleted.
        post_count=F("post_count") + (thread.reply_count + 1),
    )
    _refresh_thread_last_post(thread.pk)  # a thread held for approval had none
    refresh_node_last_post(thread.node_id)
    if held:  # a new thread, seen for the first time
        thread.is_deleted, thread.deleted_at, thread.delete_reason = False, None, ""
        first = Post.objects.get(thread=thread, position=0)
        first.thread = thread
        announce(post=first, by=actor, kind="approved", new_thread=True)
