"""generate_forum: a realistic board, bulk-loaded, whose pages work and whose
counters are exact."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from forum.core.markup import render_bbcode
from forum.devtools.generate import EMAIL_DOMAIN
from forum.posts.models import Post, Reaction
from forum.posts.recount import counter_drift
from forum.threads.models import Node, Thread
from tests import factories

TINY = {
    "posts": 300,
    "members": 20,
    "forums": 3,
    "threads": 20,
    "megathreads": 1,
    "megathread_posts": 120,
}


def generate(**options):
    out = StringIO()
    call_command("generate_forum", force=True, stdout=out, **{**TINY, **options})
    return out.getvalue()


@pytest.fixture
def board(db):
    return generate()


def test_board_has_the_requested_members_forums_threads_and_posts(board):
    assert Post.objects.count() == 300
    assert Thread.objects.count() == 20
    assert Node.objects.forums().count() == 3
    generated = get_user_model().objects.filter(email__endswith="@" + EMAIL_DOMAIN)
    assert generated.count() == 20
    assert "Generated 300 posts, 20 threads" in board


def test_megathread_posts_are_numbered_in_time_order(board):
    mega = Thread.objects.order_by("-last_position").first()
    posts = list(mega.posts.order_by("position").values_list("position", "created_at"))
    assert [p for p, _ in posts] == list(range(120))
    times = [t for _, t in posts]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert mega.page_count == 6


def test_every_counter_agrees_with_a_full_recount(board):
    assert counter_drift() == {}


def test_one_forum_holds_most_threads(board):
    counts = sorted(Node.objects.forums().values_list("thread_count", flat=True))
    assert counts[-1] > sum(counts[:-1])
    assert sum(counts) == 20


def test_stored_html_is_what_the_renderer_makes_of_the_bbcode(board):
    for body, body_html in Post.objects.values_list("body", "body_html"):
        assert render_bbcode(body) == body_html


def test_thread_page_shows_a_quote_linking_back_to_an_earlier_post(board, client):
    quoting = Post.objects.filter(body__startswith="[QUOTE=").select_related("thread")
    post = quoting.first()
    assert post is not None
    quoted_id = int(re.search(r"post: (\d+)", post.body)[1])
    quoted = Post.objects.get(pk=quoted_id)
    assert quoted.thread_id == post.thread_id
    assert quoted.position < post.position
    assert f'[QUOTE="{quoted.author_name}, post: {quoted.pk}' in post.body

    page = client.get(post.get_thread_url())
    assert page.status_code == 200
    assert f'href="/posts/{quoted.pk}/"' in page.content.decode()
    assert f"{quoted.author_name} said:" in page.content.decode()


def test_every_kind_of_page_renders(board, client):
    mega = Thread.objects.order_by("-last_position").first()
    forum = Node.objects.forums().order_by("-thread_count").first()
    member = get_user_model().objects.order_by("-message_count").first()
    for url in (
        "/",
        forum.get_absolute_url(),
        mega.get_absolute_url(),
        mega.get_absolute_url(mega.page_count),
        member.get_absolute_url(),
    ):
        assert client.get(url).status_code == 200, url


def test_reactions_name_their_latest_reactors(board):
    assert Reaction.objects.exists()
    post = Post.objects.filter(reaction_total__gt=0).order_by("-reaction_total").first()
    reactors = list(
        post.reactions.order_by("-created_at", "-id").values_list(
            "user_id", "user__username"
        )[:3]
    )
    assert post.recent_reactors == [{"id": i, "name": n} for i, n in reactors]
    assert post.reaction_total == post.reactions.count()


def test_search_finds_thread_titles_and_post_text(board):
    mega = Thread.objects.order_by("-last_position").first()
    word = mega.title.split()[1].lower()  # "strategic" in the first megathread title
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM posts_post WHERE thread_id = %s AND position = 0"
            " AND search_vector @@ to_tsquery('english', %s)",
            [mega.pk, word + ":A"],
        )
        assert cursor.fetchone() is not None
        reply = mega.posts.filter(position=5).first()
        text = re.sub(r"\[[^\]]*\]", " ", reply.body)
        first_word = next(w for w in re.findall(r"[A-Za-z]{6,}", text))
        cursor.execute(
            "SELECT id FROM posts_post WHERE id = %s"
            " AND search_vector @@ to_tsquery('english', %s)",
            [reply.pk, first_word + ":B"],
        )
        assert cursor.fetchone() is not None


def test_generated_members_log_in_with_the_demo_password(board, client, settings):
    # The generator stores a PBKDF2 hash, what the web processes use.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    member = get_user_model().objects.filter(email__endswith="@" + EMAIL_DOMAIN)[0]
    response = client.post(
        "/accounts/login/", {"login": member.username, "password": "demo"}
    )
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == member


def test_refuses_a_forum_that_already_has_posts(db, member, forum_node):
    factories.make_thread(author=member, node=forum_node, title="Keep me")
    with pytest.raises(CommandError, match="--wipe"):
        generate()
    assert list(Thread.objects.values_list("title", flat=True)) == ["Keep me"]


def test_wipe_replaces_the_old_board(db, member, forum_node):
    factories.make_thread(author=member, node=forum_node, title="Old thread")
    generate(wipe=True)
    assert not Thread.objects.filter(title="Old thread").exists()
    assert Post.objects.count() == 300
    assert counter_drift() == {}


def test_wipe_twice_leaves_one_set_of_generated_members(db):
    generate()
    generate(wipe=True)
    generated = get_user_model().objects.filter(email__endswith="@" + EMAIL_DOMAIN)
    assert generated.count() == 20


def test_refuses_to_run_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("generate_forum", stdout=StringIO(), **TINY)
    assert not Post.objects.exists()


def test_refuses_too_few_posts_for_the_megathreads(db):
    with pytest.raises(CommandError, match="too few"):
        generate(posts=100)
