"""Bad input is answered with a clear message, and what was typed comes back."""

import pytest
from bs4 import BeautifulSoup

from forum.posts.models import Post
from forum.threads.models import Thread


@pytest.fixture(autouse=True)
def no_flood_wait(settings):
    settings.FORUM_FLOOD_SECONDS = 0
    settings.FORUM_FLOOD_SECONDS_NEW_MEMBER = 0


def form_errors(response) -> str:
    assert response.status_code == 200
    box = BeautifulSoup(response.content, "html.parser").select_one(".form-errors")
    assert box is not None, "no error box on the page"
    return box.get_text(" ", strip=True)


def typed(response, name: str) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    field = soup.select_one(f"[name={name}]")
    return field.get_text() if field.name == "textarea" else field.get("value", "")


def start_thread(client, node, *, title, body):
    return client.post(node.get_post_thread_url(), {"title": title, "body": body})


def test_empty_title_is_refused_and_the_body_kept(member_client, forum_node):
    response = start_thread(
        member_client, forum_node, title="   ", body="A body worth keeping."
    )

    assert "Please enter a title." in form_errors(response)
    assert typed(response, "body").strip() == "A body worth keeping."
    assert not Thread.objects.exists()


def test_empty_body_is_refused_and_the_title_kept(member_client, forum_node):
    response = start_thread(member_client, forum_node, title="My title", body="  \n ")

    assert "Please enter a message." in form_errors(response)
    assert typed(response, "title") == "My title"
    assert not Thread.objects.exists()


def test_empty_reply_is_refused(member_client, thread):
    response = member_client.post(thread.get_reply_url(), {"body": ""})

    assert "Please enter a message." in form_errors(response)
    assert Post.objects.filter(thread=thread).count() == 1


def test_title_of_201_characters_is_refused_and_kept(member_client, forum_node):
    title = "T" * 201

    response = start_thread(member_client, forum_node, title=title, body="Body.")

    errors = form_errors(response)
    assert "The title is 201 characters long; the limit is 200." in errors
    assert typed(response, "title") == title
    assert typed(response, "body").strip() == "Body."
    assert not Thread.objects.exists()


def test_title_of_200_characters_is_accepted(member_client, forum_node):
    response = start_thread(member_client, forum_node, title="T" * 200, body="Body.")

    assert response.status_code == 302
    assert Thread.objects.get().title == "T" * 200


def test_body_of_50001_characters_is_refused_and_kept(member_client, thread):
    body = "x" * 50_001

    response = member_client.post(thread.get_reply_url(), {"body": body})

    errors = form_errors(response)
    assert "Your message is 50,001 characters long; the limit is 50,000." in errors
    assert typed(response, "body").strip() == body
    assert Post.objects.filter(thread=thread).count() == 1


@pytest.mark.parametrize(
    "body",
    ["Some text [/foo] and more.", "He said it was [sic] fine.", "a[i] = b[j]"],
)
def test_brackets_in_ordinary_writing_are_posted_as_typed(member_client, thread, body):
    response = member_client.post(thread.get_reply_url(), {"body": body})

    assert response.status_code == 302
    reply = Post.objects.filter(thread=thread).latest("position")
    assert reply.body == body
    shown = BeautifulSoup(reply.body_html, "html.parser").get_text()
    assert shown == body


def test_unclosed_bold_tag_is_refused_and_kept(member_client, forum_node):
    body = "This is [b]important"

    response = start_thread(member_client, forum_node, title="Careful", body=body)

    assert "The [b] tag is opened but never closed." in form_errors(response)
    assert typed(response, "body").strip() == body
    assert typed(response, "title") == "Careful"


def test_ten_thousand_nested_quotes_are_answered_about_nesting(member_client, thread):
    body = "[quote]" * 10_000 + "deep" + "[/quote]" * 10_000

    response = member_client.post(thread.get_reply_url(), {"body": body})

    errors = form_errors(response)
    assert "Quotes are nested more than 5 levels deep" in errors
    # It is also far too long, and that is said once, with the forum's limit.
    assert "Your message is 150,004 characters long; the limit is 50,000." in errors
    assert "too long" not in errors
    assert typed(response, "body").strip() == body
    assert Post.objects.filter(thread=thread).count() == 1


def test_six_nested_quotes_are_refused_and_five_accepted(member_client, thread):
    six = "[quote]" * 6 + "deep" + "[/quote]" * 6
    five = "[quote]" * 5 + "deep" + "[/quote]" * 5

    refused = member_client.post(thread.get_reply_url(), {"body": six})
    accepted = member_client.post(thread.get_reply_url(), {"body": five})

    assert "nested more than 5 levels" in form_errors(refused)
    assert accepted.status_code == 302


def test_bad_markup_in_an_edit_is_refused_and_kept(member_client, thread):
    post = thread.posts.get(position=0)
    body = "Edited [i]badly"

    response = member_client.post(
        f"/posts/{post.pk}/edit", {"body": body, "title": thread.title}
    )

    assert "The [i] tag is opened but never closed." in form_errors(response)
    assert typed(response, "body").strip() == body
    post.refresh_from_db()
    assert post.body != body


def test_empty_title_in_an_edit_is_refused(member_client, thread):
    post = thread.posts.get(position=0)

    response = member_client.post(
        f"/posts/{post.pk}/edit", {"body": "New body.", "title": ""}
    )

    assert "Please enter a title." in form_errors(response)
    assert typed(response, "body").strip() == "New body."
    thread.refresh_from_db()
    assert thread.title == "A thread"


def test_thread_title_and_body_keep_only_a_few_marks_per_letter(
    member_client, forum_node
):
    zalgo = "Z" + "\u0336\u0322\u031b\u0316" * 10 + "algo"
    thai = "ขอบคุณที่ช่วยเหลือ ปั๊มน้ำมัน"

    response = start_thread(
        member_client, forum_node, title=f"{zalgo} {thai}", body=f"{zalgo} {thai}"
    )

    assert response.status_code == 302
    thread = Thread.objects.get()
    limited = "Z\u0336\u0322\u031b\u0316algo"
    assert thread.title == f"{limited} {thai}"
    assert Post.objects.get(thread=thread).body_html == f"{limited} {thai}"
