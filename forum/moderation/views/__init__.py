"""Moderator pages and tools, and the members' side of moderation."""
