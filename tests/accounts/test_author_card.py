"""The author card beside every post."""

import re

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services
from accounts.models import UserTitle
from accounts.titles import forget_ladder
from forum.members import services as member_services
from tests import factories
from tests.accounts.imagedata import image_bytes

User = get_user_model()


def card_of(page: str, name: str) -> str:
    cards = re.findall(r'<aside class="author-card".*?</aside>', page, re.S)
    return next(card for card in cards if f"About {name}" in card)


def test_card_shows_every_field(client, member, forum_node):
    User.objects.filter(pk=member.pk).update(
        country="PK", location="Rawalpindi", message_count=2400, reaction_score=9876
    )
    thread = factories.make_thread(author=member, node=forum_node)
    member.refresh_from_db()

    card = card_of(client.get(thread.get_absolute_url()).content.decode(), "Reader")

    assert f'<a class="username" href="{member.get_absolute_url()}">Reader</a>' in card
    assert '<div class="author-card__title">ELITE MEMBER</div>' in card
    assert "Joined" in card and "<time datetime=" in card
    assert "<dt>Messages</dt><dd>2,401</dd>" in card
    assert "<dt>Reaction score</dt><dd>9,876</dd>" in card
    assert '<img class="flag" src="/static/flags/pk.gif" alt=""' in card
    assert "Pakistan" in card
    assert "<dt>Location</dt><dd>Rawalpindi</dd>" in card


def test_card_uses_the_uploaded_avatar_with_alt_text(
    client, member, forum_node, media_root
):
    services.set_avatar(member=member, data=image_bytes())
    thread = factories.make_thread(author=member, node=forum_node)

    card = card_of(client.get(thread.get_absolute_url()).content.decode(), "Reader")

    assert f'src="{member.avatar_url(96)}"' in card
    assert 'alt="Reader"' in card
    assert 'width="96"' in card


def test_card_without_avatar_shows_the_initial_letter(client, member, thread):
    card = card_of(client.get(thread.get_absolute_url()).content.decode(), "Reader")

    assert "avatar--letter" in card
    assert 'aria-label="Reader"' in card


def test_letter_avatar_colour_is_a_class_near_the_members_own_hue(
    client, member, thread
):
    card = card_of(client.get(thread.get_absolute_url()).content.decode(), "Reader")

    # A class, never an inline style: the Content Security Policy blocks those.
    assert "style=" not in card
    shown = int(re.search(r"avatar--letter avatar--hue-(\d+)", card).group(1))
    distance = abs(shown - member.avatar_hue)
    assert min(distance, 360 - distance) <= 5


def test_custom_title_replaces_the_ladder_title(client, member, thread):
    User.objects.filter(pk=member.pk).update(custom_title="Harbour Master")

    card = card_of(client.get(thread.get_absolute_url()).content.decode(), "Reader")

    assert "Harbour Master" in card


def test_admin_edited_ladder_is_used(client, member, thread):
    UserTitle.objects.create(min_messages=0, title="Deckhand")
    forget_ladder()

    card = card_of(client.get(thread.get_absolute_url()).content.decode(), "Reader")

    assert '<div class="author-card__title">Deckhand</div>' in card


def test_deleted_members_card_has_no_profile_link_or_facts(client, member, thread):
    User.objects.filter(pk=member.pk).update(location="Gwadar")
    member_services.delete_account(member=member)

    page = client.get(thread.get_absolute_url()).content.decode()
    card = card_of(page, f"Deleted member {member.pk}")

    assert "<a " not in card
    assert "Gwadar" not in card
    assert "Messages" not in card


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_thread_page_queries_do_not_grow_with_posts_and_authors(
    member_client, other_member, forum_node
):
    def crew(count):
        return [
            factories.MemberFactory(country="GB", location=f"Port {n}")
            for n in range(count)
        ]

    small = factories.make_thread(
        author=other_member, node=forum_node, replies=1, repliers=crew(1)
    )
    big = factories.make_thread(
        author=other_member, node=forum_node, replies=19, repliers=crew(19)
    )
    # First views write view counts and read markers; count a repeat view of each.
    member_client.get(small.get_absolute_url())
    member_client.get(big.get_absolute_url())

    assert _queries_for(member_client, big.get_absolute_url()) == _queries_for(
        member_client, small.get_absolute_url()
    )
