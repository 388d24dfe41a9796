"""Writing a thread together with its prefix and tags (forum.threads), in one
transaction: a new thread's alerts go out on commit, so the members watching
one of its tags hear of it."""

from django.db import transaction

from forum.posts import services
from forum.threads.services import label_thread


@transaction.atomic
def create_labelled_thread(*, prefix_id=None, tag_names=None, **thread) -> object:
    """`services.create_thread(**thread)` with this prefix and these tags (the
    caller has checked both, forum.threads.prefixes and .tagging). A
    resubmission that finds the thread already made labels nothing."""
    result = services.create_thread(**thread)
    if result.created:
        label_thread(
            thread=result.post.thread,
            by=thread["author"],
            prefix_id=prefix_id,
            tag_names=tag_names or [],
        )
    return result


def own_labels(*, actor, thread, prefix_id, tag_names) -> bool:
    return label_thread(
        thread=thread, by=actor, prefix_id=prefix_id, tag_names=tag_names
    )


@transaction.atomic
def edit_labelled_post(
    write, *, actor, post, prefix_id, tag_names, label=own_labels, **edit
):
    """An edit of a thread's first post (`write`: the posts service, or the
    moderators' for someone else's post) and its labels (`label`: the
    threads service, or the moderators' for someone else's thread, which logs
    the change), together. Returns the post and whether the labels changed."""
    post = write(actor=actor, post=post, **edit)
    changed = label(
        actor=actor, thread=post.thread, prefix_id=prefix_id, tag_names=tag_names
    )
    return post, bool(changed)
