"""Thread views are counted without a write on any page view: the counts gather in
the web process and a background thread of that process writes them in batches."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.threads import viewcounts
from tests import factories


def test_hundreds_of_views_write_nothing_during_the_requests(client, thread, settings):
    settings.FORUM_VIEW_FLUSH_SECONDS = 3600  # a flushing thread exists, but waits
    url = thread.get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        for n in range(250):
            assert client.get(url, HTTP_USER_AGENT=f"reader {n}").status_code == 200

    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert viewcounts.pending_views(thread.pk) == 250


@pytest.mark.django_db(transaction=True)
def test_the_flushing_thread_writes_the_gathered_counts(client):
    node = factories.ForumFactory()
    thread = factories.make_thread(author=factories.MemberFactory(), node=node)
    for n in range(3):
        client.get(thread.get_absolute_url(), HTTP_USER_AGENT=f"reader {n}")
    written = []

    # One round of the background thread, in a thread of its own as in production
    # (it closes its own database connection when done).
    worker = threading.Thread(
        target=lambda: written.append(viewcounts.flush_in_background())
    )
    worker.start()
    worker.join()

    thread.refresh_from_db()
    assert written == [3]
    assert thread.view_count == 3
    assert viewcounts.pending_views(thread.pk) == 0
