"""The demo board's thread prefixes ("Analysis", "Breaking", "Opinion"), a few
tags (official ones, a synonym), and labels on some of its threads; a tag cloud
in the sidebar."""

PREFIXES = [
    ("Analysis", "prefix--blue", "In-depth reading of events, with sources."),
    ("Breaking", "prefix--red", "News as it happens; link a source."),
    ("Opinion", "prefix--purple", "Your view: argue it, and expect replies."),
]
OFFICIAL_TAGS = ["JF-17", "CPEC", "Diplomacy", "Economy", "Air defence", "Navy"]
OTHER_TAGS = ["Drones", "Elections", "Budget", "Border", "Submarines", "Trade"]
SYNONYMS = {"Thunder": "JF-17"}


def add_labels(rng, forums) -> None:
    """Prefixes in every forum of the news categories (required in Pakistan
    Affairs), the tags, and a prefix and one to three tags on most threads."""
    from forum.discovery.models import SidebarWidget
    from forum.threads import prefixes, tagging
    from forum.threads.models import Prefix, PrefixGroup, Tag, Thread
    from forum.threads.services import label_thread

    group = PrefixGroup.objects.create(title="News", display_order=10)
    made = []
    for order, (label, colour, help_text) in enumerate(PREFIXES):
        prefix = Prefix.objects.create(
            label=label,
            colour=colour,
            group=group,
            description=help_text,
            usage_help=help_text,
            display_order=(order + 1) * 10,
        )
        prefix.forums.set(
            [f for title, f in forums.items() if title not in {"Members' Club"}]
        )
        made.append(prefix)
    forums["Pakistan Affairs"].prefix_required = True
    forums["Pakistan Affairs"].save(update_fields=["prefix_required"])
    for name in OFFICIAL_TAGS:
        Tag.objects.create(name=name, key=tagging.normalize(name), is_official=True)
    for synonym, target in SYNONYMS.items():
        Tag.objects.create(
            name=synonym,
            key=tagging.normalize(synonym),
            synonym_of=Tag.objects.get(key=tagging.normalize(target)),
        )
    names = OFFICIAL_TAGS + OTHER_TAGS
    for thread in Thread.objects.order_by("id"):
        if rng.random() < 0.25 and thread.node.title != "Pakistan Affairs":
            continue
        label_thread(
            thread=thread,
            by=thread.starter,
            prefix_id=rng.choice(made).pk,
            tag_names=rng.sample(names, rng.randint(1, 3)),
        )
    SidebarWidget.objects.create(
        kind=SidebarWidget.Kind.TAGS, title="Popular tags", display_order=90
    )
    prefixes.changed()
