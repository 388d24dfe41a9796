"""Counting the SQL a page runs, for the pinned per-page query budgets."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url) -> list[str]:
    """The SQL statements one GET of `url` runs (the page must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]
