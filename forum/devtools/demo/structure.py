"""The demo board's categories and forums (the seed page's), and its sidebar."""

STRUCTURE = [
    (
        "Pakistan",
        "News, defence and politics of Pakistan.",
        [
            ("Pakistan Defence", "Armed forces, procurement and security policy."),
            ("Pakistan Affairs", "Politics, economy and society."),
            ("Pakistan Economy", "Budgets, trade, energy and markets."),
        ],
    ),
    (
        "World Affairs",
        "Diplomacy and conflict around the world.",
        [
            (
                "South & Central Asia",
                "Afghanistan, India, Iran and the Central Asian states.",
            ),
            ("Middle East & Africa", "From the Gulf to the Sahel."),
            ("Europe & Russia", "The EU, NATO, Russia and their neighbours."),
            ("Americas", "The United States, Canada and Latin America."),
        ],
    ),
    (
        "Military & Technology",
        "Hardware, doctrine and the science behind it.",
        [
            ("Air Warfare", "Combat aircraft, drones and air defence."),
            ("Land Forces", "Armour, artillery and infantry."),
            ("Naval Forces", "Fleets, submarines and maritime strategy."),
        ],
    ),
    (
        "Community",
        "The members' lounge.",
        [
            ("Members' Club", "Introductions, off-topic chat and celebrations."),
            ("Site Feedback", "Suggestions and bug reports for the forum."),
        ],
    ),
]


def create_forums() -> dict:
    """The categories and their forums; returns the forums by title."""
    from forum.policy.snapshot import bump_version
    from forum.threads.models import Node

    forums = {}
    for order, (category, description, children) in enumerate(STRUCTURE):
        cat = Node.objects.create(
            title=category,
            description=description,
            kind=Node.Kind.CATEGORY,
            display_order=(order + 1) * 10,
        )
        for child_order, (title, child_description) in enumerate(children):
            forums[title] = Node.objects.create(
                title=title,
                description=child_description,
                parent=cat,
                kind=Node.Kind.FORUM,
                display_order=(child_order + 1) * 10,
            )
    bump_version()  # the permission snapshot holds the forum tree
    return forums


def add_sidebar_widgets(forums) -> None:
    """The seed page's sidebar: "Pakistan Defence / Pakistan Affairs Latest Posts"."""
    from forum.discovery.models import SidebarWidget
    from forum.discovery.widgets import forget_widgets

    for order, title in enumerate(["Pakistan Defence", "Pakistan Affairs"]):
        SidebarWidget.objects.create(node=forums[title], display_order=(order + 1) * 10)
    forget_widgets()
