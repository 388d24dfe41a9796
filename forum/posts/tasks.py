"""Background work for posts, through Django's Tasks API (queued on commit)."""

from django_tasks import task


@task()
def recompute_reaction_scores(reaction_type_id: int) -> dict[str, int]:
    """A reaction type's score changed: bring the scores of the posts that carry
    it, and of their authors, in line with the new value."""
    from forum.posts.reactions import recompute_scores_for_type

    return recompute_scores_for_type(reaction_type_id)
