"""The rows behind the policy snapshot: each role's rights per node, moderators,
bans. forum.policy asks this app for them through the loader it registers."""

from django.utils import timezone

from forum.moderation.models import Ban, ForumPermission, Moderator
from forum.policy.snapshot import DEFAULTS, EVERYWHERE, BanInfo, Perms, Snapshot
from forum.threads.models import Node


def load_snapshot(version: int) -> Snapshot:
    """The policy snapshot from the rows (four queries): registered with
    forum.policy.snapshot by this app's AppConfig.ready()."""
    parents = dict(Node.objects.values_list("pk", "parent_id"))
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in parents.items():
        children.setdefault(parent_id, []).append(pk)

    explicit: dict[str, dict[int, Perms]] = {role: {} for role in DEFAULTS}
    for row in ForumPermission.objects.all():
        explicit[row.role][row.node_id] = Perms(
            row.can_view,
            row.can_start_threads,
            row.can_reply,
            row.can_react,
            row.can_upload,
        )

    tables: dict[str, dict[int, Perms]] = {}
    restricted = False
    for role, default in DEFAULTS.items():
        resolved: dict[int, Perms] = {}
        stack = [(pk, default) for pk in children.get(None, [])]
        seen = set()
        while stack:  # top-down: a node without a row takes its parent's rights
            pk, inherited = stack.pop()
            if pk in seen:
                continue
            seen.add(pk)
            mine = explicit[role].get(pk, inherited)
            resolved[pk] = mine
            restricted = restricted or mine != default
            stack.extend((child, mine) for child in children.get(pk, []))
        tables[role] = resolved

    moderators: dict[int, object] = {}
    for user_id, node_id in Moderator.objects.values_list("user_id", "node_id"):
        if node_id is None:
            moderators[user_id] = EVERYWHERE
            continue
        if moderators.get(user_id) == EVERYWHERE:
            continue
        covered = set(moderators.get(user_id, ()))
        stack = [node_id]
        while stack:
            pk = stack.pop()
            if pk not in covered:
                covered.add(pk)
                stack.extend(children.get(pk, []))
        moderators[user_id] = frozenset(covered)

    now = timezone.now()
    bans: dict[int, BanInfo] = {}
    active = Ban.objects.filter(lifted_at__isnull=True).exclude(expires_at__lte=now)
    for member_id, reason, expires_at in active.order_by("created_at").values_list(
        "member_id", "reason", "expires_at"
    ):
        current = bans.get(member_id)
        # Of several bans the one lasting longest wins (None: permanent).
        if current is None or (
            current.expires_at is not None
            and (expires_at is None or expires_at > current.expires_at)
        ):
            bans[member_id] = BanInfo(reason, expires_at)

    return Snapshot(
        version=version,
        parents=parents,
        tables=tables,
        moderators=moderators,
        bans=bans,
        restricted=restricted,
    )
