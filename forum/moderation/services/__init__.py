"""Moderation writes. Every function is one moderator intent in one transaction,
keyword-only, and writes its moderator log entry in that transaction.

- content: lock, stick, move, delete, restore, approve, unapprove, reject, edit
- structure: merge threads, split posts off, move posts
- community: reports, alerts, warnings, bans, the spam cleaner, IP purge
- undo: reversing a log entry
"""

from forum.moderation.services.structure import ModerationRefused

__all__ = ["ModerationRefused"]
