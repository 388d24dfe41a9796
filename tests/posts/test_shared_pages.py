"""Members' thread pages come from a render shared by every member who sees the
same posts; what differs per member (the account menu, messages, the CSRF token,
Edit/Delete/React under each post, "You" in a reaction line) is filled for each
request. No member may ever see what was rendered for another.
"""

import re

import pytest
from django.test import Client

from forum.posts import services
from forum.posts.models import Post
from tests import factories


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def article(html: str, post: Post) -> str:
    match = re.search(rf'<article[^>]*id="post-{post.pk}".*?</article>', html, re.S)
    assert match, f"post {post.pk} is not on the page"
    return match.group(0)


def form_token(html: str) -> str:
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) == 1, tokens
    return tokens.pop()


@pytest.fixture
def board(forum_node, reaction_types):
    """Alice started a thread, Bob replied; Carol reacted to Alice's post."""
    alice = factories.MemberFactory(username="Alice")
    bob = factories.MemberFactory(username="Bob")
    carol = factories.MemberFactory(username="Carol")
    thread = factories.make_thread(author=alice, node=forum_node, title="Border news")
    factories.reply(author=bob, thread=thread, body="Bob's answer.")
    first, second = Post.objects.filter(thread=thread).order_by("position")
    factories.react(user=carol, post=first, reaction_type=reaction_types["Like"])
    thread.refresh_from_db()
    return thread, alice, bob, carol, first, second


def test_second_member_gets_the_shared_render_with_their_own_controls(board):
    thread, alice, bob, carol, first, second = board
    url = thread.get_absolute_url()

    as_alice = client_for(alice).get(url)
    as_bob = client_for(bob).get(url)

    assert as_alice["X-Page-Cache"] == "member-miss"
    assert as_bob["X-Page-Cache"] == "member-hit"
    alice_html, bob_html = as_alice.content.decode(), as_bob.content.decode()
    # Each sees Edit under their own post only.
    assert f"/posts/{first.pk}/edit" in article(alice_html, first)
    assert f"/posts/{second.pk}/edit" not in article(alice_html, second)
    assert f"/posts/{first.pk}/edit" not in article(bob_html, first)
    assert f"/posts/{second.pk}/edit" in article(bob_html, second)
    # Each is named in their own account menu, and only there.
    assert 'class="user-nav__me"' in bob_html
    assert "<span>Bob</span>" in bob_html and "<span>Alice</span>" not in bob_html
    # React is offered on the other's post, not on one's own.
    assert f'id="react-control-{second.pk}"' in alice_html
    assert f'id="react-control-{first.pk}"' not in alice_html
    assert f'id="react-control-{first.pk}"' in bob_html
    # No hole marker or placeholder survives into a page.
    from forum.core.perviewer import _nonce

    assert _nonce() not in alice_html and _nonce() not in bob_html


def test_each_member_gets_their_own_working_csrf_token(board):
    thread, alice, bob, carol, first, second = board
    url = thread.get_absolute_url()
    alice_client, bob_client = client_for(alice), client_for(bob)
    alice_client.get(url)
    bob_client = Client(enforce_csrf_checks=True)
    bob_client.force_login(bob)

    page = bob_client.get(url)
    token = form_token(page.content.decode())

    assert page["X-Page-Cache"] == "member-hit"
    factories.wait_out_flood(bob)
    response = bob_client.post(
        thread.get_reply_url(),
        {"body": "Posted from a shared page.", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert Post.objects.filter(
        thread=thread, body="Posted from a shared page."
    ).exists()


def test_you_reacted_is_shown_only_to_the_member_who_reacted(board):
    thread, alice, bob, carol, first, second = board
    url = thread.get_absolute_url()

    bob_html = client_for(bob).get(url).content.decode()
    carol_page = client_for(carol).get(url)
    carol_html = carol_page.content.decode()

    assert carol_page["X-Page-Cache"] == "member-hit"
    assert "You" in article(carol_html, first)
    assert "react-control__toggle--chosen" in article(carol_html, first)
    assert "You" not in article(bob_html, first)
    assert "Carol" in article(bob_html, first)
    assert "react-control__toggle--chosen" not in article(bob_html, first)
    # And the other way round: Carol's render stored, Bob served from it.
    second_bob = client_for(bob).get(url).content.decode()
    assert "You" not in article(second_bob, first)


def test_flash_messages_go_only_to_their_member(board, commit):
    thread, alice, bob, carol, first, second = board
    alice_client = client_for(alice)
    with commit():
        alice_client.post(
            f"/posts/{first.pk}/edit",
            {"title": thread.title, "body": "Alice's corrected opening post."},
        )
    alice_html = alice_client.get(thread.get_absolute_url()).content.decode()
    bob_html = client_for(bob).get(thread.get_absolute_url()).content.decode()

    assert "Your changes have been saved." in alice_html
    assert "Your changes have been saved." not in bob_html
    assert "Alice&#x27;s corrected opening post." in bob_html


def test_a_write_shows_at_once_to_members_served_the_shared_render(board, commit):
    thread, alice, bob, carol, first, second = board
    url = thread.get_absolute_url()
    carol_client = client_for(carol)
    carol_client.get(url)
    assert carol_client.get(url)["X-Page-Cache"] == "member-hit"

    with commit():
        services.reply_to_thread(
            author=bob, thread=thread, body="A late update.", enforce_limits=False
        )
    page = carol_client.get(url)

    assert page["X-Page-Cache"] == "member-miss"
    assert "A late update." in page.content.decode()


def test_moderators_never_get_or_leave_a_shared_render(board, staff, commit):
    thread, alice, bob, carol, first, second = board
    url = thread.get_absolute_url()
    with commit():
        services.delete_post(actor=bob, post=second, reason="Off topic")

    staff_page = client_for(staff).get(url)
    member_page = client_for(carol).get(url)
    second_staff = client_for(staff).get(url)

    assert "X-Page-Cache" not in staff_page and "X-Page-Cache" not in second_staff
    assert "Off topic" in staff_page.content.decode()  # the deleted post, marked
    assert 'name="post_ids"' in second_staff.content.decode()  # moderator tools
    assert member_page["X-Page-Cache"] == "member-miss"
    assert "Off topic" not in member_page.content.decode()
    assert 'name="post_ids"' not in member_page.content.decode()


def test_unverified_members_get_their_own_variant(board):
    thread, alice, bob, carol, first, second = board
    newcomer = factories.MemberFactory(username="Newcomer", verified=False)
    url = thread.get_absolute_url()
    client_for(carol).get(url)

    html = client_for(newcomer).get(url).content.decode()

    assert "Please confirm your e-mail address before posting" in html
    assert 'id="reply"' not in html


def test_a_pending_post_is_shown_only_to_its_author(board, settings, commit):
    thread, alice, bob, carol, first, second = board
    settings.FORUM_APPROVAL_POSTS = 5
    newcomer = factories.MemberFactory(username="Newcomer")
    url = thread.get_absolute_url()
    client_for(carol).get(url)
    newcomer_client = client_for(newcomer)
    with commit():
        newcomer_client.post(thread.get_reply_url(), {"body": "My first post."})
    assert not Post.objects.get(body="My first post.").is_approved

    own = newcomer_client.get(url).content.decode()
    others = client_for(carol).get(url).content.decode()

    assert "My first post." in own and "awaiting moderator approval" in own
    assert "My first post." not in others


def test_members_theme_is_their_own(board):
    thread, alice, bob, carol, first, second = board
    bob.theme = "dark"
    bob.save(update_fields=["theme"])
    url = thread.get_absolute_url()
    client_for(alice).get(url)

    html = client_for(bob).get(url).content.decode()

    assert 'data-theme="dark"' in html


def test_shared_renders_can_be_switched_off(board, settings):
    thread, alice, bob, carol, first, second = board
    settings.FORUM_MEMBER_CACHE_SECONDS = 0
    url = thread.get_absolute_url()
    client_for(alice).get(url)

    page = client_for(bob).get(url)

    assert "X-Page-Cache" not in page  # rendered for Bob alone
    assert f"/posts/{second.pk}/edit" in article(page.content.decode(), second)


def test_locking_a_thread_shows_at_once_to_members(board, commit):
    from forum.threads.services import lock_thread

    thread, alice, bob, carol, first, second = board
    carol_client = client_for(carol)
    assert 'id="reply"' in carol_client.get(thread.get_absolute_url()).content.decode()

    with commit():
        lock_thread(thread=thread)
    html = carol_client.get(thread.get_absolute_url()).content.decode()

    assert "This thread is locked" in html
    assert 'id="reply"' not in html


def test_moving_a_thread_into_a_private_forum_hides_it_at_once(board, commit):
    from forum.threads.services import move_thread
    from tests.moderation.conftest import make_private

    thread, alice, bob, carol, first, second = board
    hidden = factories.ForumFactory(title="Staff room", parent=thread.node.parent)
    make_private(hidden)
    carol_client = client_for(carol)
    assert carol_client.get(thread.get_absolute_url()).status_code == 200

    with commit():
        move_thread(thread=thread, to_node=hidden)

    assert carol_client.get(thread.get_absolute_url()).status_code == 404


def test_a_flash_message_on_a_shared_page_shows_once_to_its_member(board, commit):
    thread, alice, bob, carol, first, second = board
    url = thread.get_absolute_url()
    carol_client, bob_client = client_for(carol), client_for(bob)
    carol_client.get(url)  # the shared render exists
    with commit():
        bob_client.post(f"/moderation/posts/{first.pk}/report", {"reason": "Spam link"})

    landing = bob_client.get(url)
    again = bob_client.get(url)
    carols = carol_client.get(url)

    assert landing["X-Page-Cache"] == "member-hit"
    assert (
        "Thank you: the moderators will look at this post." in landing.content.decode()
    )
    assert "Thank you" not in again.content.decode()
    assert "Thank you" not in carols.content.decode()


def test_head_and_an_empty_page_work_for_members(board, staff, commit):
    thread, alice, bob, carol, first, second = board
    carol_client = client_for(carol)
    assert carol_client.head(thread.get_absolute_url()).status_code == 200
    for _ in range(45):
        factories.reply(author=bob, thread=thread)
    page_two = Post.objects.filter(thread=thread, position__gte=20, position__lt=40)
    with commit():
        for post in page_two:
            services.delete_post(actor=staff, post=post)
    thread.refresh_from_db()

    response = carol_client.get(thread.get_absolute_url(2))

    assert response.status_code == 200
    assert "There are no posts to show on this page." in response.content.decode()


def test_two_members_who_reacted_alike_each_see_themselves_as_you(
    board, reaction_types
):
    thread, alice, bob, carol, first, second = board
    factories.react(user=bob, post=first, reaction_type=reaction_types["Like"])
    url = thread.get_absolute_url()

    carols = article(client_for(carol).get(url).content.decode(), first)
    bobs_page = client_for(bob).get(url)
    bobs = article(bobs_page.content.decode(), first)

    assert bobs_page["X-Page-Cache"] == "member-hit"
    assert "You and Carol" in bobs, bobs
    assert "You and Bob" in carols, carols
