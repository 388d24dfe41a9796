"""Scale-out: two gunicorn nodes (DEBUG off, production settings) on two ports of
127.0.0.1, one PostgreSQL (the test database), one Redis and the db worker.

Any node serves any request: what a member writes on node A a guest sees on
node B on the next request (the page cache's versions live in Redis, each node
having its own folders for everything else), a login made on one node holds on
the other, reactions sent to both at once count exactly, a rate limit counts
requests to both, mail queued by a node is sent by the worker, and killing a
node while members post loses no post that was acknowledged."""

import re
import threading
import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.test import Client

from forum.posts.models import Post, Reaction
from forum.threads.models import Thread
from tests import factories
from tests.production.cluster import SECRET_KEY, Node, Visitor

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signed(settings):
    """Sessions made here are read by the nodes: the same key signs them."""
    settings.SECRET_KEY = SECRET_KEY

    def cookies_for(user) -> dict:
        client = Client()
        client.force_login(user)
        return {"sessionid": client.cookies["sessionid"].value}

    return cookies_for


@pytest.fixture(autouse=True)
def _queue_drained_before_the_flush(transactional_db, cluster):
    yield
    cluster[2].drain()


@pytest.fixture
def board(transactional_db, cluster):
    author = factories.MemberFactory(username="Windjammer")
    node = factories.ForumFactory(title="Pakistan Defence")
    thread = factories.make_thread(
        author=author, node=node, title="JF-17 block III", body="First batch delivered."
    )
    # The tasks the new thread queued (alerts, counters) run now, not between a
    # test's requests, where one would make a cached page stale.
    cluster[2].drain()
    return author, node, thread


def reply(visitor: Visitor, port: int, thread, body: str):
    return visitor.post_form(
        port, thread.get_absolute_url(), thread.get_reply_url(), {"body": body}
    )


def test_a_post_on_node_a_is_seen_by_a_guest_on_node_b_on_the_next_request(
    cluster, board, signed, redis_server
):
    a, b, _ = cluster
    author, node, thread = board
    guest = Visitor()
    first = guest.get(b.port, thread.get_absolute_url())
    cached = guest.get(b.port, thread.get_absolute_url())
    assert first[0] == cached[0] == 200
    assert cached[1]["X-Page-Cache"] == "hit"  # node B holds the page
    member = Visitor(signed(factories.MemberFactory(username="Saleem")))

    status, headers, _ = reply(member, a.port, thread, "Sixteen more by March.")

    assert status == 302
    status, headers, html = guest.get(b.port, thread.get_absolute_url())
    assert status == 200 and "Sixteen more by March." in html
    assert headers["X-Page-Cache"] == "miss"  # made afresh, everywhere
    assert "Saleem" in guest.get(a.port, node.get_absolute_url())[2]  # last poster
    # The versions that made B's copy stale are in Redis, not in a node's folder.
    assert redis_server.client.keys(f"*v:thread:{thread.pk}")
    # Node B's access log names the request by the id its response carried.
    request_id = headers["X-Request-ID"]
    assert f'"request_id": "{request_id}"' in b.log_path.read_text()


def test_a_login_on_one_node_holds_on_the_other(cluster, board):
    a, b, _ = cluster
    member = factories.MemberFactory(username="Desert Hawk")
    type(member).objects.filter(pk=member.pk).update(
        password=make_password("correct horse", hasher=PBKDF2PasswordHasher())
    )
    visitor = Visitor()

    status, _, _ = visitor.post_form(
        a.port,
        "/accounts/login/",
        "/accounts/login/",
        {"login": "Desert Hawk", "password": "correct horse"},
    )

    assert status == 302 and "sessionid" in visitor.cookies
    for node in (a, b):
        html = visitor.get(node.port, "/")[2]
        assert 'class="user-nav__me"' in html and "Desert Hawk" in html
    status, _, _ = visitor.post_form(b.port, "/", "/accounts/logout/", {})
    assert status == 302
    assert "Log in" in visitor.get(a.port, "/")[2]


def test_reactions_sent_to_both_nodes_at_once_count_exactly(
    cluster, board, signed, reaction_types
):
    a, b, _ = cluster
    author, node, thread = board
    post = Post.objects.get(pk=thread.first_post_id)
    like = reaction_types["Like"]
    visitors = [
        Visitor(signed(factories.MemberFactory(username=f"Reactor {n}")))
        for n in range(8)
    ]
    tokens = []
    for n, visitor in enumerate(visitors):  # each opens the page first
        port = (a, b)[n % 2].port
        html = visitor.get(port, thread.get_absolute_url())[2]
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    statuses = []
    start = threading.Barrier(len(visitors))

    def react(n, visitor):
        start.wait()
        form = {"csrfmiddlewaretoken": tokens[n].group(1), "reaction": like.pk}
        port = (a, b)[n % 2].port
        statuses.append(
            visitor.request(port, "POST", f"/posts/{post.pk}/react", form)[0]
        )

    threads = [
        threading.Thread(target=react, args=item) for item in enumerate(visitors)
    ]
    for each in threads:
        each.start()
    for each in threads:
        each.join(timeout=60)

    assert statuses == [302] * 8
    post.refresh_from_db()
    assert post.reaction_total == 8 == Reaction.objects.filter(post=post).count()
    assert post.reaction_counts == {str(like.pk): 8}
    for port in (a.port, b.port):
        html = Visitor().get(port, thread.get_absolute_url())[2]
        assert "and 6 others" in html, port


def test_a_rate_limit_counts_requests_to_both_nodes(cluster, board, signed):
    a, b, _ = cluster
    member = Visitor(signed(factories.MemberFactory(username="Searcher")))
    # RATE_LIMIT_SEARCH=3/3600 on the nodes.
    statuses = [
        member.get(port, "/search/?q=batch")[0] for port in (a.port, b.port, a.port)
    ]
    refused = member.get(b.port, "/search/?q=batch")

    assert statuses == [200, 200, 200]
    assert refused[0] == 429 and "Too many searches" in refused[2]
    assert member.get(a.port, "/search/?q=batch")[0] == 429


def test_mail_queued_by_a_node_is_sent_by_the_worker(cluster, board, cluster_scratch):
    a, b, _ = cluster
    factories.MemberFactory(username="Forgetful", email="forgetful@example.org")

    status, _, _ = Visitor().post_form(
        b.port,
        "/accounts/password/reset/",
        "/accounts/password/reset/",
        {"email": "forgetful@example.org"},
    )

    assert status == 302
    # The worker takes tasks in order: on a loaded machine the alerts queued by
    # the tests before this one may come first.
    deadline = time.monotonic() + 90
    sent = []
    while not sent and time.monotonic() < deadline:
        folder = cluster_scratch / "mail"
        sent = [p.read_text() for p in folder.glob("*")] if folder.exists() else []
        time.sleep(0.2)
    assert sent and "forgetful@example.org" in sent[0]
    assert "/accounts/password/reset/key/" in sent[0]


def test_killing_a_node_mid_load_loses_no_acknowledged_post(
    cluster, cluster_env, cluster_scratch, board, signed
):
    """Members post as fast as they can, each request to the next node in turn,
    as a load balancer sends them; node A dies (SIGKILL, master and workers)
    halfway. A request that fails is sent again to the other node, with the
    same words. Every post a node acknowledged is in the thread, and the
    thread's counters match its posts."""
    _, b, _ = cluster
    author, node, thread = board
    members = [
        Visitor(signed(factories.MemberFactory(username=f"Poster {n}")))
        for n in range(4)
    ]
    with Node("doomed", cluster_env, cluster_scratch) as doomed:
        ports = [doomed.port, b.port]
        acknowledged, failures = [], []
        lock = threading.Lock()
        stop = time.monotonic() + 6

        def post_loop(n, visitor):
            count = 0
            while time.monotonic() < stop:
                body = f"Report {n}-{count} from the field."
                for attempt in range(2):
                    port = ports[(count + attempt + n) % 2]
                    try:
                        status = reply(visitor, port, thread, body)[0]
                    except (OSError, AssertionError) as error:
                        with lock:
                            failures.append((port, repr(error)))
                        continue
                    if status == 302:
                        with lock:
                            acknowledged.append(body)
                        break
                count += 1

        workers = [
            threading.Thread(target=post_loop, args=item) for item in enumerate(members)
        ]
        for each in workers:
            each.start()
        time.sleep(3)
        doomed.kill()
        for each in workers:
            each.join(timeout=60)

    assert len(acknowledged) >= 8, (acknowledged, failures)
    assert failures, "node A was killed while nobody was posting"
    assert all(port == doomed.port for port, _ in failures), failures
    stored = set(Post.objects.filter(thread=thread).values_list("body", flat=True))
    assert set(acknowledged) <= stored
    thread = Thread.objects.get(pk=thread.pk)
    posts = Post.objects.filter(thread=thread)
    assert thread.reply_count == posts.count() - 1
    last_page = (posts.count() - 1) // 20 + 1
    html = Visitor().get(b.port, f"{thread.get_absolute_url()}page-{last_page}")[2]
    newest = posts.order_by("-position").first()
    assert newest.body in html
