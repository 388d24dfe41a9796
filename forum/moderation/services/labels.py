"""A moderator changes the prefix or the tags of someone else's thread (editing
its first post): the change and its log entry, with what the labels were and
what they became, commit together; undo from the log gives the old ones back."""

from django.db import transaction

from forum.moderation.services.log import Action, Target, record, thread_label
from forum.moderation.services.structure import ModerationRefused
from forum.threads import prefixes
from forum.threads.models import Prefix, Thread, ThreadTag
from forum.threads.services import label_thread as give_labels
from forum.threads.tagging import TagRefused


def _labels(thread, prefix_id) -> dict:
    found = prefixes.label_for(prefix_id)
    names = ThreadTag.objects.filter(thread=thread).values_list("tag__name", flat=True)
    return {
        "prefix_id": prefix_id,
        "prefix": found.label if found else "",
        "tags": sorted(names, key=str.casefold),
    }


@transaction.atomic
def label_thread(*, actor, thread, prefix_id, tag_names, reason="", undo_of=None):
    """Give the thread this prefix and these tags (None: the tags stay), as
    forum.threads.services.label_thread does, and log it when anything
    changed. Returns the log entry, or None when nothing changed."""
    held = Thread.objects.select_for_update().filter(pk=thread.pk)
    thread.prefix_id = held.values_list("prefix_id", flat=True).get()
    before = _labels(thread, thread.prefix_id)
    if not give_labels(
        thread=thread, by=actor, prefix_id=prefix_id, tag_names=tag_names
    ):
        return None
    return record(
        actor=actor,
        action=Action.LABEL_THREAD,
        target_type=Target.THREAD,
        target_id=thread.pk,
        label=thread_label(thread),
        node_id=thread.node_id,
        reason=reason,
        before=before,
        after=_labels(thread, thread.prefix_id),
        undo_of=undo_of,
    )


def restore_labels(*, actor, entry, thread):
    """The inverse of a logged change: the prefix and tags it replaced."""
    prefix_id = entry.before.get("prefix_id")
    if prefix_id and not Prefix.objects.filter(pk=prefix_id).exists():
        raise ModerationRefused("The prefix it had no longer exists.")
    try:
        return label_thread(
            actor=actor,
            thread=thread,
            prefix_id=prefix_id,
            tag_names=list(entry.before.get("tags", [])),
            undo_of=entry,
        )
    except TagRefused as refusal:
        raise ModerationRefused(str(refusal)) from refusal
