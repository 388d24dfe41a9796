"""Prefixes and tags on a generated board, set-based: three prefixes in every
forum, one in three threads with a prefix, one in four with a tag or two. Two
statements for the threads, whatever their number; the counters follow in the
recount that ends the generation."""

PREFIXES = [("Analysis", "prefix--blue"), ("Breaking", "prefix--red"),
            ("Opinion", "prefix--purple")]  # fmt: skip
TAGS = ["JF-17", "CPEC", "Diplomacy", "Economy", "Air defence", "Navy",
        "Drones", "Elections", "Budget", "Border", "Submarines", "Trade"]  # fmt: skip


def label_threads(cursor) -> int:
    """Give the generated threads their labels; how many tags were put on."""
    from forum.threads import prefixes, tagging
    from forum.threads.models import Node, Prefix, Tag

    made = []
    for order, (label, colour) in enumerate(PREFIXES):
        prefix, _ = Prefix.objects.get_or_create(
            label=label, defaults={"colour": colour, "display_order": order}
        )
        prefix.forums.add(*Node.objects.forums())
        made.append(prefix.pk)
    tags = []
    for name in TAGS:
        tag, _ = Tag.objects.get_or_create(
            key=tagging.normalize(name), defaults={"name": name}
        )
        tags.append(tag.pk)
    cursor.execute(
        "UPDATE threads_thread SET prefix_id = (%s::bigint[])[1 + (id / 3) %% 3]"
        " WHERE id %% 3 = 0",
        [made],
    )
    cursor.execute(
        "INSERT INTO threads_threadtag (thread_id, tag_id, created_at)"
        " SELECT t.id, (%(tags)s::bigint[])[1 + (t.id / 4 + k) %% %(n)s], t.created_at"
        " FROM threads_thread t CROSS JOIN generate_series(0, (t.id / 4) %% 2) k"
        " WHERE t.id %% 4 = 1 ON CONFLICT DO NOTHING",
        {"tags": tags, "n": len(tags)},
    )
    added = cursor.rowcount
    tagging.refresh_tag_lists(tag_ids=tags)
    prefixes.changed()
    return added
