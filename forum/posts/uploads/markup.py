"""`[ATTACH=id]`: one of the post's own attachments shown at that spot.

Registered with forum.core.markup's tag registry in PostsConfig.ready(). The tag
renders to an empty placeholder; the thread page swaps it for the picture (or
the file's link) when the attachment is the post's own, and leaves it empty
otherwise (an id from someone else's post shows nothing).
"""

import re

from forum.core.markup import Placeholder, Problem, register_tag

ATTACH_TAG = "attach"
_ID = re.compile(r"\d{1,18}")
PLACEHOLDER = re.compile(
    r'<span class="attach-embed" data-attach-id="(\d{1,18})"></span>'
)


def _is_id(value: str) -> bool:
    return bool(_ID.fullmatch(value))


def attach_placeholder(option: str | None) -> Placeholder | Problem:
    if option is None or not _is_id(option.strip()):
        return Problem(
            "The [attach] tag needs the number of an attachment, like [ATTACH=12]."
        )
    pk = int(option.strip())
    return Placeholder(f'<span class="attach-embed" data-attach-id="{pk}"></span>')


def register_attach_tag() -> None:
    register_tag(
        ATTACH_TAG,
        attach_placeholder,
        classes={"attach-embed"},
        attributes={"span": {"data-attach-id": _is_id}},
        block=False,
    )


def inline_ids(body_html: str) -> list[int]:
    return [int(pk) for pk in PLACEHOLDER.findall(body_html)]
