"""BBCode -> sanitized HTML, following XenForo's tag set and semantics.

Rendering happens in two independent layers:

1. A small, iterative BBCode parser (``parser``, with the tag set in ``tags``)
   that validates every option and URL and emits escaped HTML for the tags it
   understands (``renderer``).  Anything it cannot make sense of (unknown tags,
   unbalanced tags, unsafe options) is shown as the literal text the member
   typed.
2. A single bleach allow-list (``sanitizer``) that the generated HTML is run
   through, so that a bug in layer 1 still cannot produce markup outside the
   allow-list.

Apps above core add tags of their own through ``registry.register_tag`` in
their AppConfig.ready() (forum.news registers ``[NEWS=id]``).
"""

from forum.core.markup.registry import Placeholder, Problem, register_tag
from forum.core.markup.renderer import render_bbcode
from forum.core.markup.source import (
    check_bbcode,
    extract_quoted_post_ids,
    extract_tag_values,
    quote_tag_for,
)
from forum.core.markup.tags import MAX_BODY_LENGTH, MAX_QUOTE_DEPTH

__all__ = [
    "MAX_BODY_LENGTH",
    "MAX_QUOTE_DEPTH",
    "Placeholder",
    "Problem",
    "check_bbcode",
    "extract_quoted_post_ids",
    "extract_tag_values",
    "quote_tag_for",
    "register_tag",
    "render_bbcode",
]
