"""@mentions as written, as stored and as shown."""

import pytest

from forum.core.markup import render_bbcode
from forum.notifications.mentions import mentioned_ids, rewrite_mentions
from forum.posts import services
from tests import factories


@pytest.fixture
def people(db):
    names = ["Saleem", "Desert Hawk", "Windjammer", "Ayesha R.", "Maple"]
    return {name: factories.MemberFactory(username=name) for name in names}


@pytest.fixture
def writer(db):
    member = factories.MemberFactory(username="Writer")
    type(member).objects.filter(pk=member.pk).update(message_count=50)
    member.refresh_from_db()
    return member


def tag(member) -> str:
    return f"[USER={member.pk}]{member.username}[/USER]"


def test_names_become_tags_by_id(people, writer):
    body = rewrite_mentions(
        '@saleem, @"Desert Hawk" and @"ayesha r." read @Windjammer.', author=writer
    )
    assert body == (
        f"{tag(people['Saleem'])}, {tag(people['Desert Hawk'])} and "
        f"{tag(people['Ayesha R.'])} read {tag(people['Windjammer'])}."
    )


def test_what_is_not_a_members_name_stays_as_typed(people, writer):
    typed = "Mail me at me@example.com, @nobody, @Desert Hawk (no quotes), @ alone"
    body = rewrite_mentions(typed, author=writer)
    assert "me@example.com" in body and "@nobody" in body and "@ alone" in body
    assert "[USER=" not in body.replace(tag(people["Desert Hawk"]), "")


def test_quotes_code_and_links_are_not_the_writers_words(people, writer):
    typed = (
        '[QUOTE="Maple"]@Saleem said [QUOTE]@Maple[/QUOTE] it[/QUOTE]'
        "[CODE]@Saleem[/CODE][ICODE]@Saleem[/ICODE]"
        "[URL=https://example.com]@Saleem[/URL] @Saleem"
    )
    body = rewrite_mentions(typed, author=writer)
    assert body.count("[USER=") == 1 and body.endswith(tag(people["Saleem"]))


def test_at_most_ten_members_and_three_for_a_new_member(db, writer):
    members = [factories.MemberFactory(username=f"m{i}") for i in range(12)]
    typed = " ".join(f"@{m.username}" for m in members)
    assert rewrite_mentions(typed, author=writer).count("[USER=") == 10
    newcomer = factories.MemberFactory(username="Newcomer")
    body = rewrite_mentions(typed + " @m0 again", author=newcomer)
    assert body.count("[USER=") == 4  # three members, one of them twice
    assert body.endswith(f"{tag(members[0])} again")


def test_a_mention_renders_as_a_link_to_the_profile_that_survives_a_rename(
    people, writer, forum_node
):
    hawk = people["Desert Hawk"]
    thread = factories.make_thread(author=writer, node=forum_node)
    post = factories.reply(author=writer, thread=thread, body='Hi @"Desert Hawk"!')
    assert (
        f'<a href="/members/{hawk.pk}/" class="mention" data-user-id="{hawk.pk}">'
        "@Desert Hawk</a>!"
    ) in post.body_html
    hawk.username = "Sand Hawk"
    hawk.save()
    from django.test import Client

    response = Client().get(f"/members/{hawk.pk}/")
    assert response.status_code == 301 and "sand-hawk" in response["Location"]


def test_an_edit_keeps_the_tags_and_adds_new_mentions(people, writer, forum_node):
    thread = factories.make_thread(author=writer, node=forum_node)
    post = factories.reply(author=writer, thread=thread, body="cc @Saleem")
    edited = services.edit_post(editor=writer, post=post, body=post.body + " @Maple")
    assert edited.body == f"cc {tag(people['Saleem'])} {tag(people['Maple'])}"
    assert mentioned_ids(edited.body, known=mentioned_ids(post.body)) == [
        people["Maple"].pk
    ]


def test_only_the_writers_own_mentions_count(people):
    quoted = (
        f'[QUOTE="A, post: 1"]{tag(people["Saleem"])}[/QUOTE] {tag(people["Maple"])}'
    )
    assert mentioned_ids(quoted) == [people["Maple"].pk]


def test_a_user_tag_that_names_nobody_is_refused_as_typed():
    assert render_bbcode("[USER=x]Saleem[/USER]") == "[USER=x]Saleem[/USER]"
    assert "<script" not in render_bbcode("[USER=3]<script>alert(1)</script>[/USER]")


def test_the_picker_suggests_members_by_the_start_of_their_name(people, writer):
    from django.test import Client

    client = Client()
    client.force_login(writer)
    assert client.get("/mentions/names?q=des").json() == {"names": ["Desert Hawk"]}
    assert client.get("/mentions/names?q=d").json() == {"names": []}
    assert Client().get("/mentions/names?q=des").status_code == 302
