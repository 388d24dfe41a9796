"""A minute of load over both nodes (loopback only, bounded in time and count):
wrk reads a thread page from each node, as a guest from one and as a member
from the other, while members post to both nodes in turn. It ends with zero
errors and every acknowledged post in the thread.

About 65 s on its own (the nodes are shared with the other production tests), so
it is in the default run; `python -m pytest -m load tests/production` runs just
it, `-m "not load"` leaves it out. Needs wrk (`apt-get install wrk`; .ci/run
installs it)."""

import shutil
import threading
import time

import pytest
from django.test import Client

from forum.devtools import bench
from forum.posts.models import Post
from forum.threads.models import Thread
from tests import factories
from tests.production.cluster import SECRET_KEY, Visitor

pytestmark = [
    pytest.mark.load,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]
SECONDS = 60
MAX_POSTS_EACH = 400


def test_a_minute_of_load_over_two_nodes_ends_with_no_error_and_every_post(
    cluster, settings
):
    if not shutil.which("wrk"):
        pytest.fail("wrk is not installed: apt-get install wrk")
    settings.SECRET_KEY = SECRET_KEY
    a, b, _ = cluster
    author = factories.MemberFactory(username="Windjammer")
    node = factories.ForumFactory(title="Pakistan Defence")
    thread = factories.make_thread(author=author, node=node, title="Live: budget")
    reader = Client()
    reader.force_login(factories.MemberFactory(username="Reader"))
    member_cookie = f"sessionid={reader.cookies['sessionid'].value}"
    posters = []
    for n in range(2):
        client = Client()
        client.force_login(factories.MemberFactory(username=f"Poster {n}"))
        posters.append(Visitor({"sessionid": client.cookies["sessionid"].value}))

    loads, acknowledged, refused = {}, [], []
    lock = threading.Lock()
    stop_at = time.monotonic() + SECONDS

    def read(name, port, headers):
        loads[name] = bench.drive_wrk(
            port,
            thread.get_absolute_url(),
            duration=SECONDS,
            concurrency=4,
            headers=headers,
            # A shared 2-core machine: a slow answer is slow, not an error.
            timeout=15,
        )

    def post(n, visitor):
        for count in range(MAX_POSTS_EACH):
            if time.monotonic() >= stop_at:
                return
            body = f"Update {n}-{count}: the vote is close."
            port = (a, b)[(n + count) % 2].port
            status = visitor.post_form(
                port, thread.get_absolute_url(), thread.get_reply_url(), {"body": body}
            )[0]
            with lock:
                (acknowledged if status == 302 else refused).append((body, status))

    workers = [
        threading.Thread(target=read, args=("guest on A", a.port, {})),
        threading.Thread(
            target=read, args=("member on B", b.port, {"Cookie": member_cookie})
        ),
        *(threading.Thread(target=post, args=item) for item in enumerate(posters)),
    ]
    for each in workers:
        each.start()
    for each in workers:
        each.join(timeout=SECONDS + 60)

    for name, result in loads.items():
        assert result.requests > 100, name
        assert result.errors == 0, (name, result)
    assert refused == []
    assert len(acknowledged) > 20
    stored = set(Post.objects.filter(thread=thread).values_list("body", flat=True))
    assert {body for body, _ in acknowledged} <= stored
    thread = Thread.objects.get(pk=thread.pk)
    assert thread.reply_count == len(acknowledged) == len(stored) - 1
    print(
        "load:",
        {
            name: (r.requests, round(r.rps), r.p50_ms, r.p99_ms)
            for name, r in loads.items()
        },
        "posts:",
        len(acknowledged),
    )
