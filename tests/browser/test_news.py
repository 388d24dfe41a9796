"""Quoted articles in real Chromium: a pasted link turns into a card once the worker
has fetched it, and the new-thread form warns about an article already discussed."""

from django.core.management import call_command
from playwright.sync_api import expect

from forum.news.models import NewsQuote
from tests import factories
from tests.browser.conftest import log_in
from tests.news.article_server import ArticleServer, Route, html_route

HEADLINE = "Strategic dialogue: Russian delegation due this month"
ARTICLE = f"""<!doctype html><html><head>
<title>{HEADLINE} | The Express Tribune</title>
<meta property="og:title" content="{HEADLINE}">
<meta property="og:site_name" content="The Express Tribune">
<meta property="og:image" content="/picture.png">
<meta property="og:description" content="Officials will meet before the month ends.">
<meta property="article:published_time" content="2013-04-11T09:30:00+05:00">
</head><body><article><p>ISLAMABAD: Senior officials will meet this month.</p>
</article></body></html>"""


def _picture() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (1, 65, 28)).save(buffer, format="PNG")
    return buffer.getvalue()


def run_worker() -> None:
    call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, verbosity=0
    )


def test_pasted_article_link_turns_into_a_card_after_the_worker_runs(
    page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    factories.MemberFactory(username="Windjammer", password="demo-password")
    node = factories.ForumFactory(title="Pakistan Defence")
    with ArticleServer() as site:
        site.add("/story/534012", html_route(ARTICLE))
        site.add(
            "/picture.png",
            Route(headers=[("Content-Type", "image/png")], body=_picture()),
        )
        settings.NEWS_FETCH_ALLOW_LOOPBACK = True
        settings.NEWS_FETCH_ALLOWED_PORTS = {site.port}
        url = site.url("/story/534012?utm_source=twitter")
        article_url = site.url("/story/534012")

        log_in(page, "Windjammer", "demo-password")
        page.goto(node.get_post_thread_url())
        page.get_by_label("Title").fill("Pakistan - Russia Strategic dialogue")
        page.get_by_label("Message").fill(f"Worth watching:\n{url}\nThoughts?")
        page.get_by_role("button", name="Post thread").click()

        # Posted at once; the link is a plain link until the worker has run.
        post = page.locator("article.message").first
        expect(post.get_by_role("link", name=url)).to_be_visible()
        expect(post.locator(".news-card")).to_have_count(0)

        run_worker()
        page.reload()

    card = page.locator("article.message").first.locator("figure.news-card")
    expect(card).to_be_visible()
    headline = card.get_by_role("link", name=HEADLINE)
    expect(headline).to_have_attribute("href", article_url)
    expect(headline).to_have_attribute("target", "_blank")
    expect(card).to_contain_text("The Express Tribune")
    expect(card).to_contain_text("ISLAMABAD:")
    expect(card.get_by_role("img", name=HEADLINE)).to_have_attribute("width", "320")
    assert NewsQuote.objects.get().status == NewsQuote.Status.OK


def test_new_thread_form_warns_live_about_an_article_already_discussed(page):
    url = "https://tribune.com.pk/story/534012/strategic-dialogue"
    NewsQuote.objects.create(url=url, headline=HEADLINE, status="manual", manual=True)
    starter = factories.MemberFactory(username="Saleem", password="demo-password")
    node = factories.ForumFactory(title="Pakistan Defence")
    earlier = factories.make_thread(
        author=factories.MemberFactory(username="Windjammer"),
        node=node,
        title="Pakistan - Russia Strategic dialogue",
        body=url,
    )

    log_in(page, starter.username, "demo-password")
    page.goto(node.get_post_thread_url())
    page.get_by_label("Title").fill("Russian delegation to visit")
    page.get_by_label("Message").fill(f"{url}?utm_source=fb")

    notice = page.locator(".news-discussed")
    expect(notice).to_be_visible()  # before any submit: the script asked
    expect(
        notice.get_by_role("link", name="Pakistan - Russia Strategic dialogue")
    ).to_have_attribute("href", earlier.get_absolute_url())

    page.get_by_label("Post anyway").check()
    page.get_by_role("button", name="Post thread").click()
    expect(
        page.get_by_role("heading", name="Russian delegation to visit")
    ).to_be_visible()
