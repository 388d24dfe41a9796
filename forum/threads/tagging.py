"""Tags: what members file their threads under, and the counts that stay exact.

A tag is known by its normalized name (`normalize`: case, accents of spacing and
punctuation aside, "JF-17", "jf 17" and "JF17" are one tag). Staff make tags
official and point synonyms at the tag they stand for (the admin); a member who
types a synonym files the thread under its tag.

`Tag.thread_count` counts the threads carrying the tag that are not deleted
(held for approval counts as deleted). It moves by one in the transaction of
every change: tags set on a thread (`set_thread_tags`), a thread deleted or
restored (`thread_shown`, called by forum.posts' delete and restore, which every
moderator tool goes through). `manage.py recount` rebuilds it (RECOUNT_SQL).
It counts forums some viewers may not see: what a viewer is shown of tags comes
from forum.threads.tag_counts, which counts only the threads they may see.
"""

import re
import unicodedata

from django.conf import settings
from django.db import connection
from django.db.models import F

from forum.core.pagecache import invalidate
from forum.threads.models import Tag, Thread, ThreadTag

RECOUNT_SQL = """
UPDATE threads_tag g SET thread_count = COALESCE(s.n, 0)
FROM threads_tag g2 LEFT JOIN LATERAL (
  SELECT count(*) AS n FROM threads_threadtag tt
  JOIN threads_thread t ON t.id = tt.thread_id
  WHERE tt.tag_id = g2.id AND NOT t.is_deleted
) s ON true
WHERE g.id = g2.id
"""
SNAPSHOT_SQL = "SELECT id, thread_count FROM threads_tag ORDER BY id"


class TagRefused(ValueError):
    """The tags asked for cannot be given (too many, too long)."""


def normalize(name: str) -> str:
    """The key of a tag: letters and digits only, case folded."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def clean_name(name: str) -> str:
    """How a new tag is written: spaces collapsed, no commas."""
    return " ".join(re.sub(r"[,#<>]", " ", name).split())


def split_names(text: str) -> list[str]:
    """The tags a comma-separated field holds, each once (by key), in order."""
    seen, names = set(), []
    for raw in text.split(","):
        name = clean_name(raw)
        key = normalize(name)
        if key and key not in seen:
            seen.add(key)
            names.append(name)
    return names


def check_names(names: list[str]) -> str:
    """Why these tags cannot be given ("" if they can)."""
    most = settings.FORUM_MAX_TAGS_PER_THREAD
    if len(names) > most:
        return f"A thread may have at most {most} tags; you gave {len(names)}."
    longest = settings.FORUM_MAX_TAG_LENGTH
    for name in names:
        if len(name) > longest:
            return f"The tag “{name[:40]}” is too long; the limit is {longest}."
    return ""


def resolve(names: list[str], *, create: bool) -> list[Tag]:
    """The tags these names stand for (a synonym: its tag), made when `create`
    and unknown. One query to look them up, one insert for the new ones."""
    keys = {normalize(n): n for n in names}
    found = {
        t.key: t for t in Tag.objects.filter(key__in=keys).select_related("synonym_of")
    }
    missing = [
        Tag(name=name, key=key) for key, name in keys.items() if key not in found
    ]
    if create and missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        found |= {
            t.key: t for t in Tag.objects.filter(key__in=[t.key for t in missing])
        }
    tags, seen = [], set()
    for key in keys:
        tag = found.get(key)
        if tag is None:
            continue
        tag = tag.synonym_of or tag
        if tag.pk not in seen:
            seen.add(tag.pk)
            tags.append(tag)
    return tags


def thread_tags(thread_ids) -> dict[int, list[Tag]]:
    """The tags of these threads, by thread, by name: one query."""
    rows = ThreadTag.objects.filter(thread_id__in=list(thread_ids)).select_related(
        "tag"
    )
    found: dict[int, list[Tag]] = {}
    for row in rows.order_by("tag__name"):
        found.setdefault(row.thread_id, []).append(row.tag)
    return found


def set_thread_tags(*, thread: Thread, names: list[str], by) -> list[Tag]:
    """Give the thread exactly these tags (inside the caller's transaction, with
    the thread row locked or just made). Refuses more than the limit. The
    counts of the tags added and removed move by one when the thread is not
    deleted; their tag pages are made afresh."""
    problem = check_names(names)
    if problem:
        raise TagRefused(problem)
    tags = resolve(names, create=True)
    wanted = {t.pk for t in tags}
    have = set(ThreadTag.objects.filter(thread=thread).values_list("tag_id", flat=True))
    added, removed = wanted - have, have - wanted
    if removed:
        ThreadTag.objects.filter(thread=thread, tag_id__in=removed).delete()
    if added:
        ThreadTag.objects.bulk_create(
            [ThreadTag(thread=thread, tag_id=pk, added_by=by) for pk in sorted(added)]
        )
    if not thread.is_deleted:
        _shift(added, +1)
        _shift(removed, -1)
    if added or removed:
        refresh_tag_lists(thread_ids=[thread.pk])
        thread.tag_list = [[t.key, t.name] for t in sorted(tags, key=_by_name)]
        invalidate(
            f"thread:{thread.pk}",
            f"node:{thread.node_id}",
            *(f"tag:{pk}" for pk in added | removed),
        )
    return tags


def _by_name(tag):
    return tag.name.casefold()


_TAG_LIST_SQL = """
UPDATE threads_thread t SET tag_list = COALESCE((
  SELECT jsonb_agg(jsonb_build_array(g.key, g.name) ORDER BY lower(g.name))
  FROM threads_threadtag tt JOIN threads_tag g ON g.id = tt.tag_id
  WHERE tt.thread_id = t.id), '[]'::jsonb)
WHERE t.id IN ({which})
"""


def refresh_tag_lists(*, thread_ids=None, tag_ids=None) -> None:
    """Write the tag names kept on these threads (or on every thread carrying
    one of these tags: a tag renamed in the admin) again from the rows."""
    if thread_ids is not None:
        which, param = "SELECT unnest(%s::bigint[])", list(thread_ids)
    else:
        which = "SELECT thread_id FROM threads_threadtag WHERE tag_id = ANY(%s)"
        param = list(tag_ids)
    with connection.cursor() as cursor:
        cursor.execute(_TAG_LIST_SQL.format(which=which), [param])


def _shift(tag_ids, sign: int) -> None:
    if tag_ids:
        Tag.objects.filter(pk__in=list(tag_ids)).update(
            thread_count=F("thread_count") + sign
        )


def thread_shown(thread_id: int, *, shown: bool) -> None:
    """A thread left (deleted, held) or came back to (restored, approved) its
    forum: its tags count it or not. One statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE threads_tag SET thread_count = thread_count + %s WHERE id IN"
            " (SELECT tag_id FROM threads_threadtag WHERE thread_id = %s)"
            " RETURNING id",
            [1 if shown else -1, thread_id],
        )
        ids = [row[0] for row in cursor.fetchall()]
    if ids:
        invalidate(*(f"tag:{pk}" for pk in ids))


def threads_of(tag) -> list[int]:
    return list(ThreadTag.objects.filter(tag=tag).values_list("thread_id", flat=True))


def tag_changed(tag) -> None:
    """After staff change a tag in the admin: a renamed tag is renamed on its
    threads; a tag made a synonym hands its threads (and its own synonyms) to
    the tag it now stands for. Counts are made exact for both."""
    threads = threads_of(tag)
    target = tag.synonym_of
    if target is not None:
        target = target.synonym_of or target  # never a chain of synonyms
        Tag.objects.filter(synonym_of=tag).update(synonym_of=target)
        ThreadTag.objects.bulk_create(
            [ThreadTag(thread_id=pk, tag=target) for pk in threads],
            ignore_conflicts=True,
        )
        ThreadTag.objects.filter(tag=tag).delete()
        recount_tags([tag.pk, target.pk])
    after_tags_removed(threads)


def after_tags_removed(thread_ids) -> None:
    """The tags of these threads changed in the admin: their kept names follow,
    and every page is made afresh (tag names show on forum and thread pages)."""
    if thread_ids:
        refresh_tag_lists(thread_ids=thread_ids)
    invalidate("site")


def recount_tags(tag_ids) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            RECOUNT_SQL.replace(
                "WHERE g.id = g2.id", "WHERE g.id = g2.id AND g.id = ANY(%s)"
            ),
            [list(tag_ids)],
        )
