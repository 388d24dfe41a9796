"""Reactions: one per member per post, the summary line, who reacted, the author's
reaction score, and the counters staying exact through it all."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.core import ratelimit
from forum.posts import reactions, services
from forum.posts.models import Post, Reaction, ReactionType
from forum.posts.recount import counter_drift
from forum.posts.tasks import recompute_reaction_scores
from tests import factories

FETCH = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


# --- helpers --------------------------------------------------------------------


def react_url(post) -> str:
    return reverse("posts:react", kwargs={"pk": post.pk})


def post_react(client, post, reaction_type, **extra):
    return client.post(react_url(post), {"reaction": reaction_type.pk}, **extra)


def page_of(client, post):
    response = client.get(post.thread.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def article(soup, post):
    found = soup.select_one(f"#post-{post.pk}")
    assert found is not None, f"post {post.pk} not on the page"
    return found


def summary_line(soup, post) -> str:
    names = article(soup, post).select_one(".reactions-bar__names")
    return names.get_text(strip=True) if names else ""


def summary_icons(soup, post) -> str:
    """The reaction pictures' text labels, most given first ("Like,Haha")."""
    icons = article(soup, post).select_one(".reactions-bar__icons")
    if not icons:
        return ""
    return ",".join(img["alt"] for img in icons.select("img.reaction-icon"))


def card_reaction_score(soup, post) -> int:
    for pair in article(soup, post).select(".author-card__facts div"):
        if pair.dt.get_text(strip=True) == "Reaction score":
            return int(pair.dd.get_text(strip=True).replace(",", ""))
    raise AssertionError("no reaction score on the author card")


def flash_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reply_post(thread, other_member):
    """A reply by "Another" in the thread started by "Reader"."""
    return factories.reply(author=other_member, thread=thread, body="Worth a reaction.")


@pytest.fixture
def windjammer(db):
    return factories.MemberFactory(username="Windjammer")


@pytest.fixture
def saleem(db):
    return factories.MemberFactory(username="Saleem")


# --- the default set ------------------------------------------------------------


def test_board_starts_with_the_default_reaction_set(db):
    shown = [
        (t.name, t.emoji, t.score, t.is_active) for t in ReactionType.objects.all()
    ]

    assert shown == [
        ("Like", "👍", 1, True),
        ("Love", "❤️", 1, True),
        ("Haha", "😂", 1, True),
        ("Wow", "😮", 1, True),
        ("Sad", "😢", 0, True),
        ("Angry", "😡", 0, True),
    ]


# --- reacting without JavaScript -------------------------------------------------


def test_reaction_form_returns_to_the_post_and_shows_the_reaction(
    reply_post, windjammer, reaction_types
):
    client = client_for(windjammer)

    response = post_react(client, reply_post, reaction_types["Like"])

    assert response.status_code == 302
    assert response["Location"] == reply_post.get_thread_url()
    assert response["Location"].endswith(f"#post-{reply_post.pk}")
    soup = page_of(client, reply_post)
    assert summary_icons(soup, reply_post) == "Like"
    assert summary_line(soup, reply_post) == "You"
    link = article(soup, reply_post).select_one(".reactions-bar__summary")
    assert link["href"] == reverse("posts:reactions", kwargs={"pk": reply_post.pk})
    assert counter_drift() == {}


def test_reaction_form_honours_a_same_site_next_only(
    reply_post, windjammer, reaction_types
):
    client = client_for(windjammer)
    like, love = reaction_types["Like"], reaction_types["Love"]

    inside = client.post(
        react_url(reply_post), {"reaction": like.pk, "next": "/members/#top"}
    )
    outside = client.post(
        react_url(reply_post),
        {"reaction": love.pk, "next": "https://evil.example/phish"},
    )

    assert inside["Location"] == "/members/#top"
    assert outside["Location"] == reply_post.get_thread_url()


def test_reacting_raises_the_authors_reaction_score_on_their_card(
    reply_post, windjammer, saleem, reaction_types
):
    post_react(client_for(windjammer), reply_post, reaction_types["Like"])
    post_react(client_for(saleem), reply_post, reaction_types["Love"])

    soup = page_of(client_for(windjammer), reply_post)

    assert card_reaction_score(soup, reply_post) == 2
    assert summary_line(soup, reply_post) == "You and Saleem"
    assert counter_drift() == {}


def test_choosing_another_reaction_replaces_the_first(
    reply_post, windjammer, reaction_types
):
    client = client_for(windjammer)
    post_react(client, reply_post, reaction_types["Like"])

    post_react(client, reply_post, reaction_types["Sad"])

    soup = page_of(client, reply_post)
    assert summary_icons(soup, reply_post) == "Sad"
    assert summary_line(soup, reply_post) == "You"
    assert card_reaction_score(soup, reply_post) == 0  # Sad scores nothing
    assert Reaction.objects.filter(post=reply_post).count() == 1
    reply_post.refresh_from_db()
    assert reply_post.reaction_counts == {str(reaction_types["Sad"].pk): 1}
    assert counter_drift() == {}


def test_choosing_the_same_reaction_again_takes_it_back(
    reply_post, windjammer, reaction_types
):
    client = client_for(windjammer)
    post_react(client, reply_post, reaction_types["Haha"])

    post_react(client, reply_post, reaction_types["Haha"])

    soup = page_of(client, reply_post)
    assert article(soup, reply_post).select_one(".reactions-bar__summary") is None
    assert card_reaction_score(soup, reply_post) == 0
    assert not Reaction.objects.filter(post=reply_post).exists()
    assert counter_drift() == {}


def test_react_control_marks_the_members_current_reaction(
    reply_post, windjammer, reaction_types
):
    client = client_for(windjammer)
    post_react(client, reply_post, reaction_types["Wow"])

    control = article(page_of(client, reply_post), reply_post).select_one(
        ".react-control"
    )

    assert "Wow" in control.select_one("summary").get_text()
    pressed = [
        b.get_text(strip=True) for b in control.select("button[aria-pressed=true]")
    ]
    assert pressed == ["Wow"]
    offered = [b["value"] for b in control.select("button[name=reaction]")]
    assert offered == [str(t.pk) for t in reaction_types.values()]


# --- who may react ----------------------------------------------------------------


def test_guest_sees_reactions_but_no_react_buttons(
    client, reply_post, windjammer, reaction_types
):
    factories.react(
        user=windjammer, post=reply_post, reaction_type=reaction_types["Like"]
    )

    soup = page_of(client, reply_post)

    assert summary_line(soup, reply_post) == "Windjammer"
    assert soup.select(".react-control") == []
    assert soup.select("form[action$='/react']") == []


def test_guest_posting_a_reaction_is_sent_to_log_in(client, reply_post, reaction_types):
    response = post_react(client, reply_post, reaction_types["Like"])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]
    assert not Reaction.objects.exists()


def test_member_cannot_react_to_their_own_post(
    reply_post, other_member, reaction_types
):
    client = client_for(other_member)  # wrote reply_post

    soup = page_of(client, reply_post)
    response = post_react(client, reply_post, reaction_types["Like"])

    assert article(soup, reply_post).select(".react-control") == []
    assert response.status_code == 302
    assert flash_texts(response) == ["You can't react to your own post."]
    assert not Reaction.objects.exists()
    with pytest.raises(reactions.ReactionRefused):
        factories.react(
            user=other_member, post=reply_post, reaction_type=reaction_types["Like"]
        )


def test_deleted_post_cannot_be_reacted_to_even_by_a_moderator(
    reply_post, staff, reaction_types
):
    services.delete_post(actor=staff, post=reply_post)
    client = client_for(staff)

    soup = page_of(client, reply_post)  # moderators still see the post
    response = post_react(client, reply_post, reaction_types["Like"])

    assert article(soup, reply_post).select(".react-control") == []
    assert flash_texts(response) == ["You can't react to this post."]
    assert not Reaction.objects.exists()


def test_retired_reaction_type_is_not_offered_but_can_be_taken_back(
    reply_post, windjammer, saleem, reaction_types
):
    angry = reaction_types["Angry"]
    factories.react(user=windjammer, post=reply_post, reaction_type=angry)
    ReactionType.objects.filter(pk=angry.pk).update(is_active=False)

    saleem_client = client_for(saleem)
    offered = [
        i["value"]
        for i in article(page_of(saleem_client, reply_post), reply_post).select(
            "button[name=reaction]"
        )
    ]
    refused = post_react(saleem_client, reply_post, angry)
    taken_back = post_react(client_for(windjammer), reply_post, angry)

    assert offered and str(angry.pk) not in offered
    assert flash_texts(refused) == ["That reaction is not available."]
    assert taken_back.status_code == 302
    assert not Reaction.objects.exists()
    assert counter_drift() == {}


def test_reacting_too_fast_is_refused_with_a_message(
    settings, monkeypatch, thread, other_member, windjammer, reaction_types
):
    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "react": (3, 60)}
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_680_000_000.0)
    posts = [factories.reply(author=other_member, thread=thread) for _ in range(5)]
    client = client_for(windjammer)
    like = reaction_types["Like"]

    for post in posts[:3]:
        assert flash_texts(post_react(client, post, like)) == []
    plain = post_react(client, posts[3], like)
    fetched = post_react(client, posts[4], like, **FETCH)

    message = (
        "Too many reactions: at most 3 a minute. Please wait a moment and try again."
    )
    assert plain.status_code == 302
    assert flash_texts(plain) == [message]
    assert fetched.status_code == 429
    body = fetched.json()
    assert body["error"] == message
    assert message in BeautifulSoup(body["html"], "html.parser").get_text()
    assert Reaction.objects.filter(user=windjammer).count() == 3


def test_rate_limit_allows_thirty_a_minute_by_default(
    monkeypatch, thread, other_member, windjammer, reaction_types
):
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_680_000_060.0)
    post = factories.reply(author=other_member, thread=thread)

    for _ in range(30):  # on, off, on, off...
        reactions.react_to_post(
            user=windjammer, post=post, reaction_type=reaction_types["Like"]
        )
    with pytest.raises(reactions.ReactionRateLimited):
        reactions.react_to_post(
            user=windjammer, post=post, reaction_type=reaction_types["Like"]
        )


# --- reacting with JavaScript ------------------------------------------------------


def test_fetch_reaction_returns_the_fragments_to_swap_in(
    reply_post, windjammer, saleem, reaction_types
):
    factories.react(user=saleem, post=reply_post, reaction_type=reaction_types["Love"])

    response = post_react(
        client_for(windjammer), reply_post, reaction_types["Like"], **FETCH
    )

    assert response.status_code == 200
    body = response.json()
    assert body["post"] == reply_post.pk
    assert body["reaction"] == reaction_types["Like"].pk
    bar = BeautifulSoup(body["html"], "html.parser").select_one(".reactions-bar")
    assert bar["id"] == f"reactions-{reply_post.pk}"
    assert bar.select_one(".reactions-bar__names").get_text() == "You and Saleem"
    control = BeautifulSoup(body["control"], "html.parser")
    assert control.select_one("details")["id"] == f"react-control-{reply_post.pk}"
    assert [b["aria-pressed"] for b in control.select("button")].count("true") == 1


def test_fetch_reaction_by_a_guest_is_refused_without_redirect(
    client, reply_post, reaction_types
):
    response = post_react(client, reply_post, reaction_types["Like"], **FETCH)

    assert response.status_code == 403
    assert json.loads(response.content)["error"] == "You must log in to react."


# --- the summary line ------------------------------------------------------------


def test_summary_names_the_latest_two_and_counts_the_others(
    reply_post, reaction_types, windjammer
):
    people = [factories.MemberFactory(username=f"Fan{i}") for i in range(13)]
    for person in people:
        factories.react(
            user=person, post=reply_post, reaction_type=reaction_types["Like"]
        )
    factories.react(
        user=windjammer, post=reply_post, reaction_type=reaction_types["Haha"]
    )

    as_guest = page_of(Client(), reply_post)
    as_fan = page_of(client_for(people[0]), reply_post)

    assert summary_line(as_guest, reply_post) == "Windjammer, Fan12 and 12 others"
    assert summary_line(as_fan, reply_post) == "You, Windjammer and 12 others"
    assert summary_icons(as_guest, reply_post) == "Like,Haha"  # most given first


def test_summary_lists_three_names_when_there_are_three(
    reply_post, reaction_types, windjammer, saleem
):
    khan = factories.MemberFactory(username="Khan")
    for person in (khan, saleem, windjammer):
        factories.react(
            user=person, post=reply_post, reaction_type=reaction_types["Wow"]
        )

    soup = page_of(Client(), reply_post)

    assert summary_line(soup, reply_post) == "Windjammer, Saleem and Khan"


# --- who reacted -------------------------------------------------------------------


def test_who_reacted_page_lists_members_newest_first_and_filters_by_type(
    client, reply_post, reaction_types, windjammer, saleem
):
    khan = factories.MemberFactory(username="Khan")
    like, sad = reaction_types["Like"], reaction_types["Sad"]
    factories.react(user=khan, post=reply_post, reaction_type=like)
    factories.react(user=saleem, post=reply_post, reaction_type=sad)
    factories.react(user=windjammer, post=reply_post, reaction_type=like)
    url = reverse("posts:reactions", kwargs={"pk": reply_post.pk})

    everyone = BeautifulSoup(client.get(url).content, "html.parser")
    likes = BeautifulSoup(client.get(f"{url}?type={like.pk}").content, "html.parser")

    def names(soup):
        return [a.get_text() for a in soup.select(".reactor .username")]

    assert names(everyone) == ["Windjammer", "Saleem", "Khan"]
    assert names(likes) == ["Windjammer", "Khan"]
    tabs = [t.get_text(" ", strip=True) for t in everyone.select(".reactors__tab")]
    assert tabs == ["All (3)", "Like 2", "Sad 1"]
    icons = [img["src"] for img in everyone.select(".reactors__tab img.reaction-icon")]
    assert icons == ["/static/reactions/like.svg", "/static/reactions/sad.svg"]
    assert (
        likes.select_one(".reactors__tab[aria-current]")["href"] == f"?type={like.pk}"
    )


def test_who_reacted_page_is_paginated(client, settings, reply_post, reaction_types):
    settings.FORUM_REACTIONS_PER_PAGE = 2
    for i in range(5):
        person = factories.MemberFactory(username=f"Reactor{i}")
        factories.react(
            user=person, post=reply_post, reaction_type=reaction_types["Like"]
        )
    url = reverse("posts:reactions", kwargs={"pk": reply_post.pk})

    third = BeautifulSoup(client.get(f"{url}?page=3").content, "html.parser")
    first = BeautifulSoup(client.get(url).content, "html.parser")

    assert [a.get_text() for a in third.select(".reactor .username")] == ["Reactor0"]
    assert first.select_one(".page-nav__next")["href"] == "?page=2"


def test_who_reacted_page_of_a_deleted_post_is_hidden_from_members(
    client, reply_post, staff, reaction_types, windjammer
):
    factories.react(
        user=windjammer, post=reply_post, reaction_type=reaction_types["Like"]
    )
    services.delete_post(actor=staff, post=reply_post)
    url = reverse("posts:reactions", kwargs={"pk": reply_post.pk})

    assert client.get(url).status_code == 404
    assert client_for(staff).get(url).status_code == 200


# --- the author's score follows the post's visibility -----------------------------


def test_deleting_and_restoring_a_post_moves_the_authors_score(
    reply_post, other_member, staff, reaction_types, windjammer, saleem
):
    factories.react(
        user=windjammer, post=reply_post, reaction_type=reaction_types["Like"]
    )
    factories.react(user=saleem, post=reply_post, reaction_type=reaction_types["Love"])
    other_member.refresh_from_db()
    assert other_member.reaction_score == 2

    services.delete_post(actor=staff, post=reply_post)
    other_member.refresh_from_db()
    after_delete = other_member.reaction_score
    assert counter_drift() == {}

    services.restore_post(actor=staff, post=reply_post)
    soup = page_of(client_for(windjammer), reply_post)

    assert after_delete == 0
    assert card_reaction_score(soup, reply_post) == 2
    assert counter_drift() == {}


def test_deleting_and_restoring_a_thread_moves_every_authors_score(
    thread, member, other_member, staff, reaction_types, windjammer
):
    first = Post.objects.get(thread=thread, position=0)
    second = factories.reply(author=other_member, thread=thread)
    factories.react(user=windjammer, post=first, reaction_type=reaction_types["Like"])
    factories.react(user=windjammer, post=second, reaction_type=reaction_types["Wow"])

    services.delete_thread(actor=staff, thread=thread)
    deleted = [
        u.reaction_score
        for u in type(member).objects.filter(pk__in=[member.pk, other_member.pk])
    ]
    assert counter_drift() == {}
    services.restore_thread(actor=staff, thread=thread)
    member.refresh_from_db()
    other_member.refresh_from_db()

    assert deleted == [0, 0]
    assert (member.reaction_score, other_member.reaction_score) == (1, 1)
    assert counter_drift() == {}


def test_reactions_keep_counting_on_top_of_an_imported_score(
    reply_post, other_member, reaction_types, windjammer
):
    type(other_member).objects.filter(pk=other_member.pk).update(
        imported_reaction_score=500, reaction_score=500
    )

    factories.react(
        user=windjammer, post=reply_post, reaction_type=reaction_types["Like"]
    )

    other_member.refresh_from_db()
    assert other_member.reaction_score == 501
    assert counter_drift() == {}


# --- a type's score changes ---------------------------------------------------------


def test_changing_a_types_score_recomputes_posts_and_authors(
    thread, member, other_member, reaction_types, windjammer, saleem
):
    wow, like = reaction_types["Wow"], reaction_types["Like"]
    first = Post.objects.get(thread=thread, position=0)
    second = factories.reply(author=other_member, thread=thread)
    factories.react(user=windjammer, post=first, reaction_type=wow)
    factories.react(user=saleem, post=first, reaction_type=like)
    factories.react(user=windjammer, post=second, reaction_type=wow)
    ReactionType.objects.filter(pk=wow.pk).update(score=-1)
    assert counter_drift() != {}  # stale until the task runs

    outcome = recompute_reaction_scores.call(reaction_type_id=wow.pk)

    member.refresh_from_db()
    other_member.refresh_from_db()
    assert outcome == {"posts": 2, "members": 2}
    assert (member.reaction_score, other_member.reaction_score) == (0, -1)
    assert counter_drift() == {}


def test_admin_score_change_queues_the_recompute_on_commit(
    client,
    django_capture_on_commit_callbacks,
    reply_post,
    other_member,
    reaction_types,
    windjammer,
):
    admin = factories.MemberFactory(username="Admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    sad = reaction_types["Sad"]
    factories.react(user=windjammer, post=reply_post, reaction_type=sad)
    url = reverse("admin:posts_reactiontype_change", args=[sad.pk])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            url,
            {
                "name": "Sad",
                "emoji": sad.emoji,
                "score": "-1",
                "display_order": sad.display_order,
                "is_active": "on",
            },
        )

    assert response.status_code == 302
    assert callbacks  # the recompute is queued once the change is committed
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.get()
    assert queued.task_path == "forum.posts.tasks.recompute_reaction_scores"
    assert queued.args_kwargs["kwargs"] == {"reaction_type_id": sad.pk}


def test_admin_save_without_a_score_change_queues_nothing(
    client, django_capture_on_commit_callbacks, reaction_types
):
    admin = factories.MemberFactory(username="Admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    love = reaction_types["Love"]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(
            reverse("admin:posts_reactiontype_change", args=[love.pk]),
            {
                "name": "Heart",
                "emoji": love.emoji,
                "score": "1",
                "display_order": love.display_order,
                "is_active": "on",
            },
        )

    love.refresh_from_db()
    assert love.name == "Heart"
    from django_tasks_db.models import DBTaskResult

    assert callbacks  # pages showing the type are refreshed...
    assert not DBTaskResult.objects.exists()  # ...but no score is recomputed


@pytest.mark.django_db(transaction=True)
def test_db_worker_applies_a_score_change_made_in_the_admin(client):
    types = factories.default_reaction_types()
    author = factories.MemberFactory(username="Author")
    fan = factories.MemberFactory(username="Fan")
    node = factories.ForumFactory()
    thread = factories.make_thread(author=author, node=node)
    post = Post.objects.get(thread=thread, position=0)
    factories.react(user=fan, post=post, reaction_type=types["Angry"])
    admin = factories.MemberFactory(username="Admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    angry = types["Angry"]

    client.post(
        reverse("admin:posts_reactiontype_change", args=[angry.pk]),
        {
            "name": "Angry",
            "emoji": angry.emoji,
            "score": "-1",
            "display_order": angry.display_order,
            "is_active": "on",
        },
    )
    call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, verbosity=0
    )

    author.refresh_from_db()
    post.refresh_from_db()
    assert (author.reaction_score, post.reaction_score) == (-1, -1)
    assert counter_drift() == {}


# --- the thread page's query count ------------------------------------------------


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("as_member", [False, True], ids=["guest", "member"])
def test_thread_page_queries_do_not_grow_with_reactions_shown(
    as_member, forum_node, reaction_types
):
    authors = [factories.MemberFactory() for _ in range(20)]
    fans = [factories.MemberFactory() for _ in range(4)]
    kinds = list(reaction_types.values())
    warm_up = factories.make_thread(author=authors[0], node=forum_node)
    one = factories.make_thread(author=authors[0], node=forum_node)
    twenty = factories.make_thread(
        author=authors[0], node=forum_node, replies=19, repliers=authors[1:]
    )
    for thread in (warm_up, one, twenty):
        for n, post in enumerate(Post.objects.filter(thread=thread)):
            for i, fan in enumerate(fans):
                kind = kinds[(n + i) % len(kinds)]
                factories.react(user=fan, post=post, reaction_type=kind)
    client = client_for(fans[0]) if as_member else Client()
    client.get(warm_up.get_absolute_url())  # warms the title ladder cache

    few = _queries(client, one.get_absolute_url())
    many = _queries(client, twenty.get_absolute_url())
    soup = BeautifulSoup(client.get(twenty.get_absolute_url()).content, "html.parser")

    assert len(soup.select(".reactions-bar__summary")) == 20
    assert len(soup.select(".react-control")) == (20 if as_member else 0)
    assert len(many) == len(few), "\n".join(many)


def test_renamed_reactor_is_named_anew_in_the_summary_line(
    reply_post, reaction_types, windjammer, saleem
):
    factories.react(
        user=windjammer, post=reply_post, reaction_type=reaction_types["Like"]
    )
    factories.react(user=saleem, post=reply_post, reaction_type=reaction_types["Like"])

    reactions.on_member_renamed(member_id=windjammer.pk, name="Deleted member 7")

    soup = page_of(Client(), reply_post)
    assert summary_line(soup, reply_post) == "Saleem and Deleted member 7"


def test_who_reacted_page_queries_do_not_grow_with_reactions(
    client, thread, other_member, reaction_types
):
    few = factories.reply(author=other_member, thread=thread)
    many = factories.reply(author=other_member, thread=thread)
    kinds = list(reaction_types.values())
    for i in range(25):
        fan = factories.MemberFactory()
        if i == 0:
            factories.react(user=fan, post=few, reaction_type=kinds[0])
        factories.react(user=fan, post=many, reaction_type=kinds[i % len(kinds)])

    client.get(reverse("posts:reactions", kwargs={"pk": few.pk}))  # types cached
    one = _queries(client, reverse("posts:reactions", kwargs={"pk": few.pk}))
    lots = _queries(client, reverse("posts:reactions", kwargs={"pk": many.pk}))

    assert len(lots) == len(one), "\n".join(lots)


def test_admin_recompute_action_queues_one_task_per_type(
    client, django_capture_on_commit_callbacks, reaction_types
):
    from django_tasks_db.models import DBTaskResult

    admin = factories.MemberFactory(username="Admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    chosen = [reaction_types["Like"].pk, reaction_types["Sad"].pk]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:posts_reactiontype_changelist"),
            {"action": "recompute_reaction_scores", "_selected_action": chosen},
        )

    assert response.status_code == 302
    queued = sorted(
        r.args_kwargs["kwargs"]["reaction_type_id"] for r in DBTaskResult.objects.all()
    )
    assert queued == sorted(chosen)


def test_reaction_to_a_post_moved_to_another_thread_still_counts(
    forum_node, reply_post, other_member, reaction_types, windjammer
):
    stale = Post.objects.get(pk=reply_post.pk)  # read before the move
    elsewhere = factories.make_thread(author=windjammer, node=forum_node)
    Post.objects.filter(pk=reply_post.pk).update(thread=elsewhere)

    result = factories.react(
        user=windjammer, post=stale, reaction_type=reaction_types["Like"]
    )

    other_member.refresh_from_db()
    assert result.post.thread_id == elsewhere.pk
    assert Reaction.objects.filter(post=reply_post, user=windjammer).exists()
    assert other_member.reaction_score == 1
