"""Jumping to the first post a member has not read (the read state itself is
forum.threads.reading)."""

from forum.posts.models import Post
from forum.threads.models import NodeRead, Thread, ThreadRead
from forum.threads.reading import read_horizon


def first_unread_post(user, thread: Thread):
    """The first post of the thread this member has not read, or the last post
    when everything is read; None when the viewer sees no post. For guests, the
    first post. `thread.node` should be loaded."""
    posts = Post.objects.filter(thread=thread).visible_to(user, thread=thread)
    posts = posts.only("pk", "position", "thread_id")
    if not user.is_authenticated:
        post = posts.order_by("position").first()
    else:
        unread = posts.filter(created_at__gt=read_horizon())
        read = ThreadRead.objects.filter(user=user, thread=thread).first()
        if read is not None:
            unread = unread.filter(position__gt=read.last_read_position)
        node_read = NodeRead.objects.filter(user=user, node_id=thread.node_id).first()
        if node_read is not None:
            unread = unread.filter(created_at__gt=node_read.read_at)
        post = unread.order_by("position").first()
        if post is None:
            post = posts.order_by("-position").first()
    if post is not None:
        post.thread = thread
    return post
