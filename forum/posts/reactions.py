"""Reactions: the writes (react, recompute) and the reads (summary line, who reacted).

Counters kept here, all exact:
- Post.reaction_counts / reaction_total / reaction_score: every reaction on the post,
  whatever the post's state (as `recount` counts them);
- Post.recent_reactors: the latest three reactors, newest first, for the summary line;
- User.reaction_score: imported_reaction_score plus the scores of the reactions on the
  member's visible posts (not deleted, approved) in visible threads.

Locking, so that concurrent writers never lose an update and never deadlock:
- A transaction-scoped advisory lock per thread: every reaction holds it shared,
  first thing; whatever changes the visibility of the thread's posts (delete or
  restore a post or the thread) holds it exclusively, first thing, via
  `lock_out_reactions`. So a deletion waits for the reactions in flight in that
  thread and sums their committed rows, and later reactions see the new state. It
  is taken before any row lock, so it adds no lock-order cycle with the services'
  row locks (a reply locks member then thread, a deletion thread then members).
- `react_to_post` then locks the post row (FOR NO KEY UPDATE): reactions on one
  post are serialized, so its counters are read and written without a race, while
  foreign-key checks (KEY SHARE) by a concurrent reply that points its thread at the
  post still pass. It reads the post's and thread's visibility after that lock, in
  a new statement.
- It takes FOR SHARE on the reaction types it reads a score from, so saving a type's
  score waits for reactions in flight and later reactions see the new score.
- Recomputing a member's score locks the member row first and sums in a later
  statement: writers that change the score update that row last in their
  transaction, so the sum either includes their work or they apply it after us.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from forum.core import pagecache, ratelimit
from forum.policy import can_react, react_refusal
from forum.posts import extensions
from forum.posts.models import Post, Reaction, ReactionType

User = get_user_model()

RECENT_REACTORS = 3
RECOMPUTE_BATCH = 500


class ReactionRefused(Exception):
    """A reaction that may not be made; str() is the message for the member."""

    status = 403


class ReactionRateLimited(ReactionRefused):
    status = 429


@dataclass(frozen=True)
class ReactionResult:
    post: Post  # with its reaction counters as they are now
    reaction_type: ReactionType | None  # the member's reaction now; None: removed
    previous_type_id: int | None


# --- writes ---------------------------------------------------------------------


def check_reaction_rate(user) -> None:
    """The member's reaction budget ("react" in FORUM_RATE_LIMITS), counted in
    the shared cache so every web process sees the same number."""
    try:
        ratelimit.check("react", key=f"u{user.pk}", noun="reactions")
    except ratelimit.RateLimited as refusal:
        raise ReactionRateLimited(str(refusal)) from None


# Advisory lock namespace (the first key of the two-key form): "reactions".
_LOCK_NAMESPACE = 0x52454143


def _thread_lock_key(thread_id: int) -> list[int]:
    # The two-key form takes int4 keys; a collision only serializes two threads.
    return [_LOCK_NAMESPACE, int(thread_id) & 0x7FFFFFFF]


def lock_out_reactions(thread_id: int) -> None:
    """Wait for the reactions in flight in a thread and hold off new ones until the
    current transaction ends. Call it first thing (before any row lock) in every
    transaction that changes the visibility of the thread's posts."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", _thread_lock_key(thread_id)
        )


def _hold_off_thread_visibility_changes(thread_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock_shared(%s, %s)", _thread_lock_key(thread_id)
        )


def _fresh_visibility(post: Post) -> None:
    """Re-read the post's and its thread's state in a new statement, after the post
    lock is ours: the locking SELECT may have joined a thread row from before a
    deletion that committed while it waited."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.is_deleted, p.is_approved, t.is_deleted FROM posts_post p"
            " JOIN threads_thread t ON t.id = p.thread_id WHERE p.id = %s",
            [post.pk],
        )
        post.is_deleted, post.is_approved, post.thread.is_deleted = cursor.fetchone()


def _share_lock_types(type_ids) -> dict[int, tuple[int, bool]]:
    """(score, is_active) of each type, with FOR SHARE so a score change waits."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, score, is_active FROM posts_reactiontype WHERE id = ANY(%s)"
            " ORDER BY id FOR SHARE",
            [sorted(type_ids)],
        )
        return {pk: (score, active) for pk, score, active in cursor.fetchall()}


def _latest_reactors(post_id: int) -> list[dict]:
    rows = (
        Reaction.objects.filter(post_id=post_id)
        .order_by("-created_at", "-id")
        .values_list("user_id", "user__username")[:RECENT_REACTORS]
    )
    return [{"id": user_id, "name": name} for user_id, name in rows]


def react_to_post(
    *,
    user,
    post: Post,
    reaction_type: ReactionType,
    enforce_limits: bool = True,
    at=None,
) -> ReactionResult:
    """The member's reaction to a post: adds it, replaces their other reaction, or
    (the same type again) removes it. At most one reaction per member per post.

    Refuses guests, the author's own posts and posts that are deleted, awaiting
    approval or in a deleted thread (ReactionRefused), and more than
    FORUM_REACTIONS_PER_MINUTE a minute (ReactionRateLimited). The post's counters
    always move; the author's reaction score moves by the score delta only while
    the post is visible.
    """
    if not getattr(user, "is_authenticated", False):
        raise ReactionRefused("You must log in to react to posts.")
    if enforce_limits:
        check_reaction_rate(user)
    now = at or timezone.now()
    thread_id = post.thread_id
    for _ in range(3):
        try:
            return _react(user, post.pk, thread_id, reaction_type, now)
        except _PostMoved as moved:  # to another thread while we waited: again
            thread_id = moved.thread_id
    raise ReactionRefused("This post is being moved; please try again.")


class _PostMoved(Exception):
    def __init__(self, thread_id: int):
        self.thread_id = thread_id


def _react(user, post_id: int, thread_id: int, reaction_type, now) -> ReactionResult:
    """One attempt, holding the thread's advisory lock (shared) before the post's
    row lock; _PostMoved if the post is no longer in that thread."""
    with transaction.atomic():
        _hold_off_thread_visibility_changes(thread_id)
        locked = (
            Post.objects.select_for_update(of=("self",), no_key=True)
            .select_related("thread__node")
            .get(pk=post_id)
        )
        if locked.thread_id != thread_id:
            raise _PostMoved(locked.thread_id)
        _fresh_visibility(locked)
        if not can_react(user, locked):
            raise ReactionRefused(react_refusal(user, locked))
        # Every write to this post's reactions holds the post lock: no race here.
        existing = Reaction.objects.filter(post=locked, user=user).first()
        old_id = existing.reaction_type_id if existing else None
        types = _share_lock_types({reaction_type.pk, old_id} - {None})
        removing = old_id == reaction_type.pk
        # A retired type can still be taken back, not given.
        if reaction_type.pk not in types or not (
            removing or types[reaction_type.pk][1]
        ):
            raise ReactionRefused("That reaction is not available.")
        scores = {pk: score for pk, (score, _) in types.items()}

        counts = {str(k): v for k, v in (locked.reaction_counts or {}).items()}
        total_delta = score_delta = 0
        if old_id is not None:
            key = str(old_id)
            counts[key] = counts.get(key, 0) - 1
            if counts[key] <= 0:
                del counts[key]
            total_delta -= 1
            score_delta -= scores[old_id]
        if removing:
            existing.delete()
            current = None
        else:
            key = str(reaction_type.pk)
            counts[key] = counts.get(key, 0) + 1
            total_delta += 1
            score_delta += scores[reaction_type.pk]
            if existing:
                Reaction.objects.filter(pk=existing.pk).update(
                    reaction_type=reaction_type, created_at=now
                )
            else:
                Reaction.objects.create(
                    post=locked, user=user, reaction_type=reaction_type, created_at=now
                )
                # A new reaction (not a change of mind): the apps above may
                # tell the author.
                extensions.run_reaction_hooks(
                    post=locked, by=user, reaction_type=reaction_type
                )
            current = reaction_type

        recent = _latest_reactors(locked.pk)
        Post.objects.filter(pk=locked.pk).update(
            reaction_counts=counts,
            reaction_total=F("reaction_total") + total_delta,
            reaction_score=F("reaction_score") + score_delta,
            recent_reactors=recent,
        )
        visible = (
            not locked.is_deleted
            and locked.is_approved
            and not locked.thread.is_deleted
        )
        if score_delta and visible and locked.author_id:
            User.objects.filter(pk=locked.author_id).update(
                reaction_score=F("reaction_score") + score_delta
            )
        # Guests' cached copies of the thread page show the old summary line.
        pagecache.invalidate(f"thread:{locked.thread_id}")
        locked.reaction_counts = counts
        locked.reaction_total += total_delta
        locked.reaction_score += score_delta
        locked.recent_reactors = recent
    return ReactionResult(post=locked, reaction_type=current, previous_type_id=old_id)


def on_posts_visibility_changed(post_ids, visible: bool) -> None:
    """Posts became visible (restored) or invisible (deleted, or their thread was):
    move their authors' reaction scores by the scores of the reactions on them.

    `post_ids` is a list of ids or a queryset of ids (`.values("pk")`). Call it
    inside the transaction that changes the posts, with exactly the posts whose
    visibility changes, in a transaction that began with `lock_out_reactions` for
    their thread (so no reaction on them is in flight while we count)."""
    sign = 1 if visible else -1
    rows = (
        Reaction.objects.filter(post_id__in=post_ids, post__author__isnull=False)
        .values("post__author_id")
        .annotate(score=Sum("reaction_type__score"))
        .order_by("post__author_id")  # one lock order for every writer
        .values_list("post__author_id", "score")
    )
    for author_id, score in rows:
        if score:
            User.objects.filter(pk=author_id).update(
                reaction_score=F("reaction_score") + sign * score
            )


RENAME_REACTOR_SQL = """
UPDATE posts_post p SET recent_reactors = (
  SELECT COALESCE(jsonb_agg(CASE WHEN (e->>'id')::bigint = %(member)s
    THEN jsonb_set(e, '{name}', to_jsonb(%(name)s::text)) ELSE e END
    ORDER BY n), '[]'::jsonb)
  FROM jsonb_array_elements(p.recent_reactors) WITH ORDINALITY AS a(e, n))
WHERE p.id IN (SELECT r.post_id FROM posts_reaction r WHERE r.user_id = %(member)s)
  AND p.recent_reactors @> jsonb_build_array(jsonb_build_object('id', %(member)s))
"""


def on_member_renamed(*, member_id: int, name: str) -> None:
    """A member's name changed (or the account was anonymized): the summary lines
    that name them as a recent reactor show the new name."""
    with connection.cursor() as cursor:
        cursor.execute(RENAME_REACTOR_SQL, {"member": member_id, "name": name})


MEMBER_SCORE_SQL = """
UPDATE accounts_user u SET reaction_score = u.imported_reaction_score + COALESCE((
  SELECT sum(rt.score) FROM posts_reaction r
  JOIN posts_reactiontype rt ON rt.id = r.reaction_type_id
  JOIN posts_post p ON p.id = r.post_id
  JOIN threads_thread t ON t.id = p.thread_id
  WHERE p.author_id = u.id AND NOT p.is_deleted AND p.is_approved
    AND NOT t.is_deleted), 0)
WHERE u.id = ANY(%s)
"""

POST_SCORE_SQL = """
UPDATE posts_post p SET reaction_score = COALESCE((
  SELECT sum(rt.score) FROM posts_reaction r
  JOIN posts_reactiontype rt ON rt.id = r.reaction_type_id
  WHERE r.post_id = p.id), 0)
WHERE p.id = ANY(%s)
"""


def recompute_member_reaction_scores(member_ids) -> None:
    """Set each member's reaction score from the rows, in batches."""
    ids = sorted(set(member_ids))
    for start in range(0, len(ids), RECOMPUTE_BATCH):
        batch = ids[start : start + RECOMPUTE_BATCH]
        with transaction.atomic(), connection.cursor() as cursor:
            # Lock first, sum in the next statement (see the module docstring).
            cursor.execute(
                "SELECT id FROM accounts_user WHERE id = ANY(%s) ORDER BY id"
                " FOR UPDATE",
                [batch],
            )
            cursor.execute(MEMBER_SCORE_SQL, [batch])


def recompute_scores_for_type(reaction_type_id: int) -> dict[str, int]:
    """After a reaction type's score changed: recompute the reaction_score of every
    post with a reaction of that type, then of those posts' authors."""
    authors: set[int] = set()
    posts = 0
    last = 0
    while True:
        batch = list(
            Reaction.objects.filter(reaction_type_id=reaction_type_id, post_id__gt=last)
            .order_by("post_id")
            .values_list("post_id", flat=True)
            .distinct()[:RECOMPUTE_BATCH]
        )
        if not batch:
            break
        last = batch[-1]
        posts += len(batch)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, author_id FROM posts_post WHERE id = ANY(%s) ORDER BY id"
                " FOR UPDATE",
                [batch],
            )
            authors.update(a for _, a in cursor.fetchall() if a is not None)
            cursor.execute(POST_SCORE_SQL, [batch])
    recompute_member_reaction_scores(authors)
    return {"posts": posts, "members": len(authors)}


def schedule_score_recompute(*, reaction_type_id: int) -> None:
    """Queue the recompute for after the type's new score is committed."""
    from forum.posts.tasks import recompute_reaction_scores

    transaction.on_commit(
        lambda: recompute_reaction_scores.enqueue(reaction_type_id=reaction_type_id)
    )


# --- reads ----------------------------------------------------------------------
