"""Background work for posts, through Django's Tasks API (queued on commit)."""

from django_tasks import task


@task()
def recompute_reaction_scores(reaction_type_id: int) -> dict[str, int]:
    """A reaction type's score changed: bring the scores of the posts that carry
    it, and of their authors, in line with the new value."""
    from forum.posts.reactions import recompute_scores_for_type

    return recompute_scores_for_type(reaction_type_id)


@task()
def forget_orphan_attachment(attachment_id: int) -> bool:
    """A day after an upload: removed if no post has claimed it."""
    from forum.posts.uploads.services import forget_orphan

    return forget_orphan(attachment_id)


@task()
def prune_attachments() -> int:
    """Every upload no post claimed within a day (the daily sweep)."""
    from forum.posts.uploads.services import delete_orphans

    return delete_orphans()


@task()
def prune_drafts() -> int:
    """Drafts untouched for FORUM_DRAFT_DAYS (the daily sweep)."""
    from forum.posts.drafts.services import delete_expired

    return delete_expired()
