"""The small things a screen-reader user or a new member meets: a heading per
post that says who wrote it and whom it answers, a link past each post, one
password reset link on a login form named for what members type, staff marked
as staff, a meta description and a favicon on the index."""

import re

from django.test import Client

from tests import factories


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_each_post_has_a_heading_and_a_link_past_it(forum_node):
    ayesha = factories.MemberFactory(username="Ayesha R.")
    hawk = factories.MemberFactory(username="Desert Hawk")
    thread = factories.make_thread(author=ayesha, node=forum_node, title="Tanks")
    factories.reply(
        author=hawk,
        thread=thread,
        body=f'[QUOTE="Ayesha R., post: {thread.first_post_id}"]Where?[/QUOTE]Here.',
    )
    html = _page(Client(), thread.get_absolute_url())

    headings = re.findall(
        r'<h2 class="visually-hidden" id="post-\d+-heading">(.*?)</h2>', html
    )
    assert headings == [
        "Post #1 by Ayesha R.",
        "Post #2 by Desert Hawk, replying to Ayesha R.",
    ]
    skips = re.findall(r'<a class="skip-post" href="#([\w-]+)">(.*?)</a>', html)
    second = thread.posts.get(position=1)
    assert skips == [
        (f"post-{second.pk}", "Skip to next post"),
        ("after-posts", "Skip to the end of the posts"),
    ]
    assert 'id="after-posts"' in html


def test_the_login_form_has_one_reset_link_and_a_username_field(db):
    html = _page(Client(), "/accounts/login/")
    assert html.count("/accounts/password/reset/") == 1
    assert re.search(r"<label[^>]*>Username or e-mail", html)
    assert 'autocomplete="username"' in html


def test_staff_are_marked_in_the_member_list_and_on_their_posts(forum_node):
    admin = factories.MemberFactory(username="Admiral", is_staff=True)
    factories.MemberFactory(username="Plain")
    thread = factories.make_thread(author=admin, node=forum_node)

    members = _page(Client(), "/members/")
    assert members.count('class="staff-badge">Staff<') == 1
    assert '<div class="staff-badge">Staff</div>' in _page(
        Client(), thread.get_absolute_url()
    )


def test_the_index_has_a_description_and_a_favicon(db):
    html = _page(Client(), "/")
    assert re.search(r'<meta name="description" content="[^"]{20,}">', html)
    assert re.search(r'<link rel="icon" href="[^"]*favicon\.svg"', html)
