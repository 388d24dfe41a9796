"""Writing through the pages: start, reply, quote, edit, delete, restore, locks."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from forum.posts.models import Post
from forum.threads.models import Thread
from forum.threads.services import lock_thread
from tests import factories


@pytest.fixture(autouse=True)
def no_flood_wait(settings):
    # Flood control has its own tests (test_abuse.py); here members write at will.
    settings.FORUM_FLOOD_SECONDS = 0
    settings.FORUM_FLOOD_SECONDS_NEW_MEMBER = 0


def page_text(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def textarea(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.select_one("textarea[name=body]").get_text()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Starting threads and replying


def test_member_starts_a_thread_and_lands_on_it(member_client, forum_node):
    response = member_client.post(
        forum_node.get_post_thread_url(),
        {
            "title": "Pakistan Navy's new Hangor-class",
            "body": "First boat is [b]in[/b].",
        },
    )

    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    page = member_client.get(response["Location"])
    assert "Pakistan Navy's new Hangor-class" in page_text(page)
    assert "<strong>in</strong>" in page.content.decode()


def test_guest_is_sent_to_log_in_to_start_a_thread(client, forum_node):
    response = client.get(forum_node.get_post_thread_url())

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_member_replies_and_lands_on_the_new_post(member_client, thread):
    response = member_client.post(
        thread.get_reply_url(), {"body": "Agreed, the timeline is tight."}
    )

    reply = Post.objects.get(thread=thread, position=1)
    assert response["Location"] == reply.get_thread_url()
    page = member_client.get(thread.get_absolute_url())
    assert "Agreed, the timeline is tight." in page_text(page)


# Quoting


def test_quote_link_prefills_the_reply_with_a_quote_of_the_post(
    member_client, thread, other_member
):
    quoted = factories.reply(
        author=other_member, thread=thread, body="Range is 750 km."
    )

    response = member_client.get(f"{thread.get_reply_url()}?quote={quoted.pk}")

    assert textarea(response).strip() == (
        f'[QUOTE="Another, post: {quoted.pk}, member: {other_member.pk}"]'
        "Range is 750 km.[/QUOTE]"
    )


def test_several_quote_params_gather_several_quotes_in_order(
    member_client, thread, other_member, member
):
    second = factories.reply(author=other_member, thread=thread, body="Second.")
    first = thread.posts.get(position=0)

    response = member_client.get(
        f"{thread.get_reply_url()}?quote={second.pk}&quote={first.pk}"
    )

    body = textarea(response)
    assert body.index(f"post: {second.pk}") < body.index(f"post: {first.pk}")
    assert body.count("[/QUOTE]") == 2
    assert f'[QUOTE="Reader, post: {first.pk}, member: {member.pk}"]' in body


def test_quotes_from_another_thread_are_ignored(member_client, thread, forum_node):
    elsewhere = factories.make_thread(author=thread.starter, node=forum_node)

    response = member_client.get(
        f"{thread.get_reply_url()}?quote={elsewhere.first_post_id}"
    )

    assert textarea(response).strip() == ""


def test_quote_as_bbcode_returns_plain_text(member_client, thread, other_member):
    quoted = factories.reply(author=other_member, thread=thread, body="Plain [i]me[/i]")

    response = member_client.get(
        f"{thread.get_reply_url()}?quote={quoted.pk}&format=bbcode"
    )

    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == (
        f'[QUOTE="Another, post: {quoted.pk}, member: {other_member.pk}"]'
        "Plain [i]me[/i][/QUOTE]\n"
    )


def test_posted_quote_links_back_to_the_quoted_post(
    member_client, thread, other_member
):
    quoted = factories.reply(author=other_member, thread=thread, body="Original words.")
    quote = member_client.get(
        f"{thread.get_reply_url()}?quote={quoted.pk}&format=bbcode"
    ).content.decode()

    member_client.post(thread.get_reply_url(), {"body": quote + "My answer."})

    soup = BeautifulSoup(
        member_client.get(thread.get_absolute_url()).content, "html.parser"
    )
    blockquote = soup.select_one("blockquote.bb-quote")
    link = blockquote.select_one("a")
    assert link["href"] == f"/posts/{quoted.pk}/"
    assert link.get_text(strip=True) == "Another said:"
    assert "Original words." in blockquote.get_text()


# Editing


def test_editing_own_post_shows_last_edited_and_keeps_history(member_client, thread):
    post = thread.posts.get(position=0)

    response = member_client.post(
        f"/posts/{post.pk}/edit", {"body": "Corrected text.", "title": thread.title}
    )

    assert response.status_code == 302
    page = member_client.get(thread.get_absolute_url())
    text = page_text(page)
    assert "Corrected text." in text
    assert "Last edited:" in text
    history = member_client.get(f"/posts/{post.pk}/history")
    assert history.status_code == 200
    history_text = page_text(history)
    assert "Corrected text." in history_text
    assert "Opening post number" in history_text  # the text before the edit


def test_editing_the_first_post_can_rename_the_thread(member_client, thread):
    post = thread.posts.get(position=0)

    response = member_client.post(
        f"/posts/{post.pk}/edit",
        {"body": post.body, "title": "A better title"},
        follow=True,
    )

    thread.refresh_from_db()
    assert thread.title == "A better title"
    assert response.redirect_chain[-1][0].startswith(
        f"/threads/a-better-title.{thread.pk}/"
    )
    assert "A better title" in page_text(response)
    old = member_client.get(f"/threads/a-thread.{thread.pk}/")
    assert old.status_code == 301


def test_editing_a_reply_offers_no_title(member_client, thread, member):
    reply = factories.reply(author=member, thread=thread)

    soup = BeautifulSoup(
        member_client.get(f"/posts/{reply.pk}/edit").content, "html.parser"
    )

    assert soup.select_one("input[name=title]") is None
    assert soup.select_one("textarea[name=body]").get_text().strip() == reply.body


def test_another_member_cannot_edit_or_see_the_history(thread, other_member):
    post = thread.posts.get(position=0)
    other = client_for(other_member)

    assert other.get(f"/posts/{post.pk}/edit").status_code == 403
    refused = other.post(f"/posts/{post.pk}/edit", {"body": "Hijacked", "title": "x"})
    assert refused.status_code == 403
    assert other.get(f"/posts/{post.pk}/history").status_code == 404
    post.refresh_from_db()
    assert post.body != "Hijacked"
    page = other.get(thread.get_absolute_url())
    assert f"/posts/{post.pk}/edit" not in page.content.decode()


# Deleting and restoring


@pytest.fixture
def delete_window(settings):
    settings.FORUM_DELETE_WINDOW_SECONDS = 3600
    return settings.FORUM_DELETE_WINDOW_SECONDS


def test_member_deletes_own_post_within_the_window(
    member_client, thread, member, delete_window
):
    reply = factories.reply(author=member, thread=thread, body="Posted in haste.")

    response = member_client.post(f"/posts/{reply.pk}/delete", {"reason": ""})

    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    page = member_client.get(thread.get_absolute_url())
    assert "Posted in haste." not in page_text(page)


def test_member_cannot_delete_own_post_after_the_window(
    member_client, thread, member, delete_window
):
    reply = factories.reply(author=member, thread=thread, body="Too late now.")
    Post.objects.filter(pk=reply.pk).update(
        created_at=timezone.now() - timezone.timedelta(seconds=delete_window + 60)
    )

    page = member_client.get(thread.get_absolute_url()).content.decode()
    refused = member_client.post(f"/posts/{reply.pk}/delete", {"reason": ""})

    assert f"/posts/{reply.pk}/delete" not in page
    assert refused.status_code == 403
    assert "Too late now." in page_text(member_client.get(thread.get_absolute_url()))


def test_member_cannot_delete_someone_elses_post(thread, other_member, delete_window):
    post = thread.posts.get(position=0)

    response = client_for(other_member).post(f"/posts/{post.pk}/delete", {})

    assert response.status_code == 403
    assert not Post.objects.get(pk=post.pk).is_deleted


def test_deleted_post_is_gone_for_members_but_marked_for_staff_who_restore_it(
    member_client, thread, member, staff, delete_window
):
    reply = factories.reply(author=member, thread=thread, body="Second thoughts.")
    member_client.post(f"/posts/{reply.pk}/delete", {"reason": "duplicate"})
    moderator = client_for(staff)

    staff_soup = BeautifulSoup(
        moderator.get(thread.get_absolute_url()).content, "html.parser"
    )
    article = staff_soup.select_one(f"#post-{reply.pk}")
    assert "message--deleted" in article["class"]
    assert "Deleted by Reader: duplicate" in article.get_text(" ", strip=True)
    assert "Second thoughts." not in page_text(
        member_client.get(thread.get_absolute_url())
    )

    restored = moderator.post(f"/posts/{reply.pk}/restore")

    assert restored.status_code == 302
    assert "Second thoughts." in page_text(member_client.get(thread.get_absolute_url()))


def test_members_cannot_restore_posts(member_client, thread, member, delete_window):
    reply = factories.reply(author=member, thread=thread)
    member_client.post(f"/posts/{reply.pk}/delete", {})

    # A member cannot see the deleted post at all, so it is not found.
    assert member_client.post(f"/posts/{reply.pk}/restore").status_code == 404
    assert Post.objects.get(pk=reply.pk).is_deleted


def test_deleting_the_first_post_deletes_the_thread(
    member_client, thread, forum_node, delete_window
):
    first = thread.posts.get(position=0)

    response = member_client.post(f"/posts/{first.pk}/delete", {})

    assert response["Location"] == forum_node.get_absolute_url()
    assert member_client.get(thread.get_absolute_url()).status_code == 404
    listing = page_text(member_client.get(forum_node.get_absolute_url()))
    assert "A thread" not in listing


# Locked threads


def test_reply_to_a_locked_thread_is_refused_with_a_clear_message(
    member_client, thread
):
    lock_thread(thread=thread)

    response = member_client.post(
        thread.get_reply_url(), {"body": "Let me in."}, follow=True
    )

    assert "This thread is locked: no more replies can be posted." in page_text(
        response
    )
    assert not Post.objects.filter(body="Let me in.").exists()
    assert BeautifulSoup(response.content, "html.parser").select_one("#reply") is None


def test_staff_may_still_reply_to_a_locked_thread(thread, staff):
    lock_thread(thread=thread)

    response = client_for(staff).post(
        thread.get_reply_url(), {"body": "Closing note from the team."}
    )

    assert response.status_code == 302
    assert Post.objects.filter(
        thread=thread, body="Closing note from the team."
    ).exists()
