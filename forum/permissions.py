"""The one policy module: every "may this member do that?" is answered here.

Views ask intent-named questions (`can_reply(user, thread)`) and hand the template
booleans. Fetch-and-authorize helpers (`get_thread_for_user_or_404`) make a thread you
may not see a 404, so its existence leaks nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone


def is_staff(user) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


def can_moderate(user, node=None) -> bool:
    return is_staff(user)


def can_view_node(user, node) -> bool:
    return True


def can_view_thread(user, thread) -> bool:
    if thread.is_deleted and not can_moderate(user, thread.node):
        return False
    return can_view_node(user, thread.node)


def can_view_post(user, post) -> bool:
    if not can_view_thread(user, post.thread):
        return False
    if post.is_deleted and not can_moderate(user, post.thread.node):
        return False
    if not post.is_approved:
        return can_moderate(user, post.thread.node) or (
            user.is_authenticated and post.author_id == user.pk
        )
    return True


def can_post(user) -> bool:
    """A signed-in, active member (the members issue adds e-mail verification)."""
    return bool(user.is_authenticated and user.is_active)


def can_start_thread(user, node) -> bool:
    return node.kind == node.Kind.FORUM and can_post(user) and can_view_node(user, node)


def can_reply(user, thread) -> bool:
    if not can_post(user) or not can_view_thread(user, thread):
        return False
    return not thread.is_locked or can_moderate(user, thread.node)


def reply_refusal(user, thread) -> str:
    """Why can_reply said no, in words for the member."""
    if not user.is_authenticated:
        return "You must log in to reply."
    if thread.is_locked:
        return "This thread is locked: no more replies can be posted."
    return "You may not reply to this thread."


def can_edit_post(user, post) -> bool:
    if not user.is_authenticated:
        return False
    if can_moderate(user, post.thread.node):
        return True
    return post.author_id == user.pk and not post.is_deleted and can_post(user)


def can_delete_post(user, post) -> bool:
    if not user.is_authenticated or post.is_deleted:
        return False
    if can_moderate(user, post.thread.node):
        return True
    if post.author_id != user.pk or not can_post(user):
        return False
    window = timedelta(seconds=settings.FORUM_DELETE_WINDOW_SECONDS)
    return timezone.now() - post.created_at <= window


def can_view_edit_history(user, post) -> bool:
    return can_view_post(user, post) and (
        post.author_id == getattr(user, "pk", None) or can_moderate(user, post.thread.node)
    )


def can_view_deleted(user, node) -> bool:
    return can_moderate(user, node)


def require(allowed: bool, message: str = "You may not do that.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def get_node_for_user_or_404(user, pk: int):
    from forum.threads.models import Node

    node = Node.objects.filter(pk=pk).first()
    if node is None or not can_view_node(user, node):
        raise Http404("No such forum.")
    return node


def get_thread_for_user_or_404(user, pk: int, *, queryset=None):
    from forum.threads.models import Thread

    qs = queryset if queryset is not None else Thread.objects.select_related("node")
    thread = qs.filter(pk=pk).first()
    if thread is None or not can_view_thread(user, thread):
        raise Http404("No such thread.")
    return thread


def get_post_for_user_or_404(user, pk: int):
    from forum.posts.models import Post

    post = Post.objects.select_related("thread", "thread__node").filter(pk=pk).first()
    if post is None or not can_view_post(user, post):
        raise Http404("No such post.")
    return post
