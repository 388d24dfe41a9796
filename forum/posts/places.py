"""Where a member is writing: the place a draft and the attachments of a post
not yet made belong to.

A place is a short string: "thread:12" (a reply to thread 12), "node:3" (a new
thread in forum 3), "post:44" (an edit of post 44). An app above posts adds a
kind of its own (a conversation) with `register_place_kind`, in its
AppConfig.ready(). `resolve(user, key)` answers what the member may do there;
a place they may not write in (or that does not exist) is None, which views turn
into a 404: its existence leaks nothing.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from forum.policy import (
    can_edit_post,
    can_reply,
    can_start_thread,
    can_upload,
    can_view_post,
)
from forum.posts.models import Post
from forum.threads.models import Node, Thread

_KEY = re.compile(r"([a-z]{1,20}):(\d{1,18})")


@dataclass(frozen=True)
class Place:
    key: str  # "thread:12"
    kind: str
    target: object  # the thread, forum or post
    node: object  # the forum whose rights apply (None: the kind decides)
    may_upload: bool
    url: str  # where the member writes there


_kinds: dict[str, Callable] = {}


def register_place_kind(kind: str, resolver: Callable) -> None:
    """`resolver(user, pk) -> Place | None` for keys "kind:pk"."""
    _kinds[kind] = resolver


def parse(key: str) -> tuple[str, int] | None:
    match = _KEY.fullmatch(key or "")
    return (match[1], int(match[2])) if match else None


def resolve(user, key: str) -> Place | None:
    """The place named by `key` if this member may write there, else None."""
    parsed = parse(key)
    if parsed is None or not user.is_authenticated:
        return None
    kind, pk = parsed
    resolver = _kinds.get(kind)
    return resolver(user, pk) if resolver else None


def for_thread(thread) -> str:
    return f"thread:{thread.pk}"


def for_node(node) -> str:
    return f"node:{node.pk}"


def for_post(post) -> str:
    return f"post:{post.pk}"


def _thread(user, pk: int) -> Place | None:
    thread = Thread.objects.select_related("node").filter(pk=pk).first()
    if thread is None or not can_reply(user, thread):
        return None
    return Place(
        f"thread:{pk}",
        "thread",
        thread,
        thread.node,
        can_upload(user, thread.node),
        thread.get_reply_url(),
    )


def _node(user, pk: int) -> Place | None:
    node = Node.objects.filter(pk=pk).first()
    if node is None or not can_start_thread(user, node):
        return None
    return Place(
        f"node:{pk}",
        "node",
        node,
        node,
        can_upload(user, node),
        node.get_post_thread_url(),
    )


def _post(user, pk: int) -> Place | None:
    post = Post.objects.select_related("thread", "thread__node").filter(pk=pk).first()
    if post is None or not can_view_post(user, post) or not can_edit_post(user, post):
        return None
    node = post.thread.node
    return Place(
        f"post:{pk}",
        "post",
        post,
        node,
        can_upload(user, node),
        reverse("posts:edit", kwargs={"pk": pk}),
    )


register_place_kind("thread", _thread)
register_place_kind("node", _node)
register_place_kind("post", _post)
