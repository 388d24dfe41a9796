"""Background work for quoted articles, through Django's Tasks API (queued on
commit by forum.news.services)."""

from django_tasks import task


@task()
def fetch_news_quote(quote_id: int) -> str:
    """Fetch the article behind a card and fill the card; returns how it ended
    ("ok", "failed", "merged" or "skipped")."""
    from forum.news.services import fetch_article

    return fetch_article(quote_id=quote_id)
