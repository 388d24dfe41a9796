"""Sidebar widgets: "<forum> Latest Posts" blocks, all from one query."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.discovery.models import SidebarWidget
from forum.discovery.widgets import forget_widgets
from forum.posts import services
from forum.threads.services import stick_thread
from tests import factories


def sidebar(html: str) -> str:
    match = re.search(r'<aside class="sidebar".*?</aside>', html, re.S)
    return match.group(0) if match else ""


def widget_titles(html: str) -> list[str]:
    return re.findall(r'class="widget__title" href="[^"]*">([^<]*)</a>', html)


def widget_headers(html: str) -> list[str]:
    return re.findall(
        r'<h2 class="block__header widget__header"[^>]*><a[^>]*>([^<]*)<', html
    )


def get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def make_threads(node, author, titles, *, start_minutes_ago=100):
    now = timezone.now()
    threads = []
    for i, title in enumerate(titles):
        threads.append(
            services.create_thread(
                author=author,
                node=node,
                title=title,
                body=f"About {title}.",
                enforce_limits=False,
                at=now - timedelta(minutes=start_minutes_ago - i),
            ).post.thread
        )
    return threads


@pytest.fixture
def affairs(forum_node):
    return factories.ForumFactory(title="Pakistan Affairs", parent=forum_node.parent)


@pytest.fixture
def widgets(forum_node, affairs):
    return [
        SidebarWidget.objects.create(node=forum_node, display_order=10),
        SidebarWidget.objects.create(node=affairs, display_order=20),
    ]


def test_the_index_shows_each_forums_latest_threads_with_last_poster(
    client, widgets, forum_node, affairs, member, other_member
):
    make_threads(forum_node, member, [f"Defence {n}" for n in range(7)])
    [budget] = make_threads(affairs, member, ["Budget debate"])
    factories.reply(author=other_member, thread=budget)

    html = sidebar(get(client, "/"))

    assert widget_headers(html) == [
        "Pakistan Defence Latest Posts",
        "Pakistan Affairs Latest Posts",
    ]
    assert widget_titles(html) == [
        "Defence 6",
        "Defence 5",
        "Defence 4",
        "Defence 3",
        "Defence 2",
        "Budget debate",
    ]
    assert "Latest: <a" in html and ">Another</a>" in html
    assert "<time datetime=" in html


def test_a_widget_orders_by_latest_post_not_by_start_or_stickiness(
    client, widgets, forum_node, member, other_member
):
    oldest, middle, newest = make_threads(forum_node, member, ["A", "B", "C"])
    stick_thread(thread=middle, sticky=True)
    factories.reply(author=other_member, thread=oldest)

    titles = widget_titles(sidebar(get(client, "/")))

    assert titles == ["A", "C", "B"]


def test_a_widget_shows_its_limit_and_its_own_title(client, forum_node, member):
    SidebarWidget.objects.create(node=forum_node, title="Defence headlines", limit=2)
    make_threads(forum_node, member, ["One", "Two", "Three"])

    html = sidebar(get(client, "/"))

    assert widget_headers(html) == ["Defence headlines"]
    assert widget_titles(html) == ["Three", "Two"]


def test_deleted_threads_and_inactive_widgets_are_not_shown(
    client, widgets, forum_node, affairs, member, staff
):
    gone, kept = make_threads(forum_node, member, ["Gone", "Kept"])
    services.delete_thread(actor=staff, thread=gone)
    SidebarWidget.objects.filter(node=affairs).update(is_active=False)

    html = sidebar(get(client, "/"))

    assert widget_titles(html) == ["Kept"]
    assert "Pakistan Affairs Latest Posts" not in html


def test_thread_pages_show_widgets_and_forum_pages_only_when_asked(
    client, forum_node, affairs, member, django_capture_on_commit_callbacks
):
    SidebarWidget.objects.create(node=affairs, show_on_forums=False)
    [thread] = make_threads(forum_node, member, ["Here"])
    make_threads(affairs, member, ["Over there"])

    thread_html = get(client, thread.get_absolute_url())
    forum_html = get(client, forum_node.get_absolute_url())

    assert widget_titles(sidebar(thread_html)) == ["Over there"]
    assert "page-body--with-sidebar" in thread_html
    assert sidebar(forum_html) == ""
    assert "page-body--with-sidebar" not in forum_html

    SidebarWidget.objects.update(show_on_forums=True)
    with django_capture_on_commit_callbacks(execute=True):
        forget_widgets()
    assert widget_titles(sidebar(get(client, forum_node.get_absolute_url()))) == [
        "Over there"
    ]


def test_a_board_without_widgets_has_no_sidebar(client, forum_node, member):
    make_threads(forum_node, member, ["Alone"])

    html = get(client, "/")

    assert sidebar(html) == ""
    assert "page-body--with-sidebar" not in html


def test_a_forum_with_no_threads_says_so(client, widgets, member):
    html = sidebar(get(client, "/"))

    assert html.count("No threads yet.") == 2


def test_all_widgets_of_a_page_come_from_one_query(client, forum_node, affairs, member):
    extra = factories.ForumFactory(title="Air Warfare", parent=forum_node.parent)
    for node in (forum_node, affairs, extra):
        SidebarWidget.objects.create(node=node)
        make_threads(node, member, [f"{node.title} {n}" for n in range(6)])

    with CaptureQueriesContext(connection) as captured:
        html = get(client, "/")

    widget_queries = [
        q["sql"] for q in captured.captured_queries if "sidebarwidget" in q["sql"]
    ]
    assert len(widget_queries) == 1
    assert len(widget_titles(sidebar(html))) == 15


def test_the_sidebar_is_shared_between_page_views_until_a_widget_changes(
    client, forum_node, member, admin_client, django_capture_on_commit_callbacks
):
    widget = SidebarWidget.objects.create(node=forum_node)
    make_threads(forum_node, member, ["Cached"])
    get(client, "/")

    with CaptureQueriesContext(connection) as captured:
        get(client, "/")
    assert not [q for q in captured.captured_queries if "sidebarwidget" in q["sql"]]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/discovery/sidebarwidget/{widget.pk}/change/",
            {
                "title": "Renamed block",
                "node": forum_node.pk,
                "show_on_index": "on",
                "show_on_threads": "on",
                "display_order": 10,
                "limit": 5,
                "is_active": "on",
            },
        )
    assert response.status_code == 302
    assert widget_headers(sidebar(get(client, "/"))) == ["Renamed block"]


def test_the_demo_board_shows_the_seed_pages_latest_posts_blocks(
    client, db, django_capture_on_commit_callbacks
):
    from forum.devtools.demo import SEED_THREAD_TITLE, load_demo
    from forum.threads.models import Thread

    with django_capture_on_commit_callbacks(execute=True):
        load_demo(log=lambda *_: None)
    seed = Thread.objects.get(title=SEED_THREAD_TITLE)

    for html in (get(client, "/"), get(client, seed.get_absolute_url())):
        assert widget_headers(sidebar(html)) == [
            "Pakistan Defence Latest Posts",
            "Pakistan Affairs Latest Posts",
        ]
    assert SEED_THREAD_TITLE in widget_titles(sidebar(get(client, "/")))
