"""Drafts: what a member is writing, kept on the server per member and place
(forum.posts.places: a reply to a thread, a new thread in a forum, an edit of a
post; a conversation registers its own kind of place), so it comes back on any
device. Saved by the composer's script every few seconds, on blur and when the
page is hidden; every save names the version it replaces, so a save from a
stale tab is refused with the other text (a conflict the page lets the member
settle). Posting deletes the draft; a draft untouched for FORUM_DRAFT_DAYS is
gone."""
