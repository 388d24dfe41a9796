"""A realistic board at benchmark scale, bulk-loaded with PostgreSQL COPY.

`generate_board(spec)` builds members (verified e-mail, password "demo"), categories
and forums, threads spread unevenly over the forums (one holds most of them, one
only a handful), a few megathreads, posts with BBCode bodies that quote earlier posts
of their thread, and reactions. Then it fills the search vectors set-based, runs the
full recount (so every counter is exact) and ANALYZE.

Why it is fast:
- rows stream through COPY; nothing goes through the ORM one row at a time;
- post bodies come from a pool of a few hundred bodies rendered once; a quote is a
  pre-rendered block whose name, post and member ids are filled in by string
  replacement (`render_bbcode(post.body) == post.body_html` still holds);
- posts' secondary indexes and foreign keys are dropped for the load and rebuilt
  after it, in the same transaction (a failure rolls everything back);
- posts are copied into a temporary table, then moved into posts_post by one
  INSERT ... SELECT that computes the search vector on the way, so the million rows
  are written once, not written and then rewritten by an UPDATE.

Every sentence of generated text is written for this module.
"""

from forum.devtools.generate.board import board_counts, generate_board, wipe_board
from forum.devtools.generate.plan import (
    EMAIL_DOMAIN,
    PASSWORD,
    BoardNotEmpty,
    BoardSpec,
    BoardSummary,
    Progress,
)

__all__ = [
    "EMAIL_DOMAIN",
    "PASSWORD",
    "BoardNotEmpty",
    "BoardSpec",
    "BoardSummary",
    "Progress",
    "board_counts",
    "generate_board",
    "wipe_board",
]
