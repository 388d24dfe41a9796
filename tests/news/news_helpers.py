"""Helpers for quoted-article tests: the real worker, article pages, pictures."""

import io

from django.core.management import call_command
from PIL import Image

from tests.news.article_server import Route


def run_worker() -> None:
    """Run every queued task through the database backend, as `make run` does,
    and check that none of them crashed."""
    from django_tasks_db.models import DBTaskResult

    call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, verbosity=0
    )
    crashed = DBTaskResult.objects.exclude(status="SUCCESSFUL")
    assert not crashed.exists(), list(
        crashed.values("task_path", "exception_class_path")
    )


def image_bytes(size=(640, 360), color=(30, 90, 160), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def image_route(data: bytes | None = None, content_type="image/png") -> Route:
    return Route(headers=[("Content-Type", content_type)], body=data or image_bytes())


def article_html(
    *,
    headline="Strategic dialogue: Russian delegation due this month",
    site="The Express Tribune",
    image="/pictures/delegation.png",
    author="Kamran Yousaf",
    published="2013-04-11T09:30:00+05:00",
    description="Officials from both countries will meet before the month ends.",
    canonical="",
    extra_head="",
) -> str:
    """An article page described with OpenGraph tags, as most news sites do."""
    canonical_tag = (
        f'<meta property="og:url" content="{canonical}">' if canonical else ""
    )
    image_tag = f'<meta property="og:image" content="{image}">' if image else ""
    return f"""<!doctype html><html><head>
<title>{headline} | {site}</title>
<meta property="og:title" content="{headline}">
<meta property="og:site_name" content="{site}">
{image_tag}
<meta property="og:description" content="{description}">
<meta property="article:published_time" content="{published}">
<meta name="author" content="{author}">
{canonical_tag}
{extra_head}
</head><body><article>
<p>ISLAMABAD: Senior officials from the two countries will meet later this month.</p>
<p>The talks are expected to cover arms control and regional security issues.</p>
</article></body></html>"""


def make_quote(
    url="https://tribune.com.pk/story/534012/strategic-dialogue",
    *,
    status="ok",
    headline="Strategic dialogue: Russian delegation due this month",
    publication="The Express Tribune",
    created_by=None,
    **fields,
):
    """A NewsQuote as the worker (or a member) would have left it."""
    from django.utils import timezone

    from forum.news.embeds import site_domain
    from forum.news.models import NewsQuote, Publication

    pub = None
    if publication and status in ("ok", "manual"):
        pub, _ = Publication.objects.get_or_create(
            domain=site_domain(url), defaults={"name": publication}
        )
    fields.setdefault("fetched_at", timezone.now() if status == "ok" else None)
    return NewsQuote.objects.create(
        url=url,
        status=status,
        manual=status == "manual",
        headline=headline if status in ("ok", "manual") else "",
        publication=pub,
        created_by=created_by,
        **fields,
    )
