"""The moderation admin: permissions and moderators (saving either refreshes the
permission snapshot), the moderator log with undo, reports, the approval queue,
warnings and bans. Writes go through the services, so counters and the log stay
right."""

from forum.moderation.admin import community, content, log, policy

__all__ = ["community", "content", "log", "policy"]
