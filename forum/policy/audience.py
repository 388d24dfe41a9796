"""Who may see a forum, as a set: the same answer as `can_view_node` asked of
every member at once, for writes that reach many members in one statement (an
alert to every watcher of a thread).

    audience = node_audience(node)
    audience.members      # members with a confirmed e-mail address see it
    audience.unverified   # members who have not confirmed one see it
    audience.moderators   # these members moderate it (staff see everything)

A member may see the node when they are staff, among `moderators`, or of a role
(confirmed or not) that sees it. Bans do not hide a forum (a banned member reads
like a member). tests/notifications/test_fan_out_oracle.py holds the set to
`can_view_post` asked of each member.
"""

from dataclasses import dataclass

from forum.policy import snapshot as policy


@dataclass(frozen=True)
class Audience:
    members: bool
    unverified: bool
    moderators: frozenset[int]


def node_audience(node) -> Audience:
    """Who may see `node` (a Node, or anything with pk and parent_id)."""
    snapshot = policy.current()
    if not snapshot.knows(node) and snapshot.needs_ancestry():
        snapshot = policy.rebuild_for(node.pk)
    moderators = frozenset(
        user_id for user_id in snapshot.moderators if snapshot.moderates(user_id, node)
    )
    return Audience(
        members=snapshot.perms("member", node).view,
        unverified=snapshot.perms("unverified", node).view,
        moderators=moderators,
    )
