"""The members list and the member profile."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts import services
from forum.members import services as member_services
from forum.members.selectors import last_seen_label
from forum.posts import services as post_services
from tests import factories

User = get_user_model()
LAST_SEEN = "accounts.middleware.LastSeenMiddleware"


def names_on(page: str) -> list[str]:
    return re.findall(r'<a class="username" href="[^"]+">([^<]+)</a>', page)


@pytest.fixture
def crew(db):
    now = timezone.now()
    return [
        factories.MemberFactory(
            username=name,
            message_count=messages,
            reaction_score=score,
            date_joined=now - timedelta(days=days),
        )
        for name, messages, score, days in [
            ("Anchor", 10, 500, 30),
            ("Bosun", 300, 20, 10),
            ("Captain", 50, 90, 1),
            ("Anvil", 5, 5, 100),
        ]
    ]


def test_members_list_sorts_by_messages_by_default(client, crew):
    page = client.get("/members/").content.decode()

    assert names_on(page) == ["Bosun", "Captain", "Anchor", "Anvil"]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("messages", ["Bosun", "Captain", "Anchor", "Anvil"]),
        ("reactions", ["Anchor", "Captain", "Bosun", "Anvil"]),
        ("joined", ["Captain", "Bosun", "Anchor", "Anvil"]),
        ("nonsense", ["Bosun", "Captain", "Anchor", "Anvil"]),
    ],
)
def test_members_list_sorts_as_asked(client, crew, order, expected):
    page = client.get("/members/", {"order": order}).content.decode()

    assert names_on(page) == expected


def test_members_search_finds_names_by_prefix_ignoring_case(client, crew):
    page = client.get("/members/", {"q": "an", "order": "reactions"}).content.decode()

    assert names_on(page) == ["Anchor", "Anvil"]
    assert 'value="an"' in page


def test_members_search_with_no_match_says_so(client, crew):
    page = client.get("/members/", {"q": "Zed"}).content.decode()

    assert names_on(page) == []
    assert "No member's name starts with" in page


def test_members_list_pages_by_fifty_and_keeps_the_order_in_links(client, db):
    for n in range(53):
        factories.MemberFactory(username=f"sailor{n:02}", message_count=n)

    first = client.get("/members/", {"order": "messages"}).content.decode()
    second = client.get("/members/", {"order": "messages", "page": 2}).content.decode()

    assert len(names_on(first)) == 50
    assert names_on(second) == ["sailor02", "sailor01", "sailor00"]
    assert 'href="?order=messages&amp;page=2"' in first


def test_members_list_hides_deleted_and_inactive_members(client, crew):
    member_services.delete_account(member=crew[0])
    User.objects.filter(pk=crew[1].pk).update(is_active=False)

    page = client.get("/members/").content.decode()

    assert names_on(page) == ["Captain", "Anvil"]


def test_profile_shows_the_card_facts(client, member):
    User.objects.filter(pk=member.pk).update(
        country="PK",
        location="Lahore",
        website="https://example.com",
        message_count=2500,
        reaction_score=1234,
    )

    page = client.get(member.get_absolute_url()).content.decode()

    assert "<h1" in page and "Reader</h1>" in page
    assert "ELITE MEMBER" in page
    assert "2,500" in page and "1,234" in page
    assert '<img class="flag" src="/static/flags/pk.gif" alt=""' in page
    assert "Pakistan" in page
    assert "Lahore" in page
    assert 'href="https://example.com" rel="nofollow ugc noopener"' in page


def test_profile_shows_recent_posts_linking_to_each(client, member, thread):
    reply = factories.reply(author=member, thread=thread, body="My [b]second[/b] post")

    page = client.get(member.get_absolute_url()).content.decode()

    assert "My second post" in page
    assert f'href="{reply.get_thread_url()}"' in page
    assert "A thread" in page  # the thread title, and under Threads started


def test_profile_hides_deleted_posts_and_posts_in_deleted_threads(
    client, member, other_member, forum_node, thread
):
    hidden = factories.reply(author=member, thread=thread, body="Soon to be deleted")
    post_services.delete_post(actor=other_member, post=hidden, reason="")
    gone = factories.make_thread(author=member, node=forum_node, title="Gone thread")
    gone.is_deleted = True
    gone.save()

    page = client.get(member.get_absolute_url()).content.decode()

    assert "Soon to be deleted" not in page
    assert "Gone thread" not in page


def test_profile_pages_recent_posts(client, member, thread, settings):
    settings.FORUM_POSTS_PER_PAGE = 3
    for n in range(4):
        factories.reply(author=member, thread=thread, body=f"Numbered reply {n}")

    first = client.get(member.get_absolute_url()).content.decode()
    second = client.get(member.get_absolute_url(), {"page": 2}).content.decode()

    assert "Numbered reply 3" in first and "Numbered reply 0" not in first
    assert "Numbered reply 0" in second
    assert 'href="?page=2#recent-posts"' in first


def test_profile_with_stale_slug_redirects_permanently(client, member):
    response = client.get(f"/members/wrong.{member.pk}/")

    assert response.status_code == 301
    assert response["Location"] == member.get_absolute_url()


def test_profile_of_deleted_member_is_gone(client, member):
    member_services.delete_account(member=member)
    member.refresh_from_db()

    assert client.get(member.get_absolute_url()).status_code == 404


def test_last_seen_is_coarse():
    now = timezone.now().replace(hour=15)

    assert last_seen_label(now - timedelta(hours=1), now) == "Today"
    assert last_seen_label(now - timedelta(days=1), now) == "Yesterday"
    assert last_seen_label(now - timedelta(days=9), now) == (
        (now - timedelta(days=9)).strftime("%b %-d, %Y")
    )


def test_profile_shows_last_seen_unless_the_member_opts_out(
    client, member, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=member.pk).update(last_seen_at=timezone.now())

    assert "Last seen" in client.get(member.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # as the settings save
        services.update_profile(
            member=member,
            country="",
            location="",
            website="",
            about="",
            signature="",
            theme="auto",
            show_last_seen=False,
        )
    assert "Last seen" not in client.get(member.get_absolute_url()).content.decode()


def test_middleware_records_last_seen_once_per_five_minutes(
    settings, member_client, member, django_assert_num_queries
):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, LAST_SEEN]

    member_client.get("/members/")
    member.refresh_from_db()
    first = member.last_seen_at
    assert first is not None

    member_client.get("/members/")
    member.refresh_from_db()
    assert member.last_seen_at == first

    User.objects.filter(pk=member.pk).update(last_seen_at=first - timedelta(minutes=6))
    member_client.get("/members/")
    member.refresh_from_db()
    assert member.last_seen_at > first


def test_touch_last_seen_writes_nothing_while_fresh(member, django_assert_num_queries):
    now = timezone.now()
    assert services.touch_last_seen(member=member, now=now)

    with django_assert_num_queries(0):
        assert not services.touch_last_seen(
            member=member, now=now + timedelta(minutes=4)
        )


def test_pages_still_work_for_guests_with_the_last_seen_middleware(
    settings, client, member
):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, LAST_SEEN]

    assert client.get("/members/").status_code == 200


def test_recent_post_excerpt_leaves_out_quotes_and_keeps_words_apart(
    client, member, other_member, thread
):
    quoted = factories.reply(author=other_member, thread=thread, body="Their words")
    factories.reply(
        author=member,
        thread=thread,
        body=f'[QUOTE="Another, post: {quoted.pk}, member: {other_member.pk}"]'
        "Their words[/QUOTE]First line\nSecond line & more",
    )

    page = client.get(member.get_absolute_url()).content.decode()
    excerpt = re.search(r'<p class="profile-post__excerpt">([^<]*)</p>', page)[1]

    assert excerpt == "First line Second line &amp; more"
