"""Under DEBUG=0, as an operator runs it (gunicorn with production settings, static
files collected): in Chromium, the demo's seed thread shows its news card's
picture, a member's uploaded avatar shows on their profile, static files carry
hashed names cached a year, and a missing page is the forum's 404."""

import pytest

# Imported for what it sets up: the ORM may be used beside the sync API.
import tests.browser.conftest  # noqa: F401
from forum.devtools.demo import SEED_THREAD_TITLE, load_demo
from forum.threads.models import Thread
from tests import factories
from tests.accounts.imagedata import image_bytes
from tests.production.cluster import SECRET_KEY, Visitor

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

LOADED = "img => img.complete && img.naturalWidth > 0"


@pytest.fixture
def site(cluster, cluster_scratch, settings, browser):
    """Node A in a fresh browser context; files the test stores land where
    the node reads them."""
    settings.MEDIA_ROOT = cluster_scratch / "media"
    settings.SECRET_KEY = SECRET_KEY
    node = cluster[0]
    context = browser.new_context(
        base_url=f"http://127.0.0.1:{node.port}",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    media = []
    page = context.new_page()
    page.on("response", lambda r: media.append(r) if "/media/" in r.url else None)
    yield node, context, page, media
    context.close()


def test_the_seed_threads_news_picture_is_served(site):
    node, context, page, media = site
    load_demo(log=lambda *_: None)
    thread = Thread.objects.get(title=SEED_THREAD_TITLE)

    page.goto(thread.get_absolute_url())
    picture = page.locator("img.news-card__image").first
    picture.scroll_into_view_if_needed()
    page.wait_for_function(LOADED, arg=picture.element_handle())

    assert picture.evaluate("img => img.naturalWidth") == 640
    [response] = [r for r in media if "/media/news/" in r.url]
    assert response.status == 200
    assert "immutable" in response.headers["cache-control"]


def test_an_uploaded_avatar_is_served(site):
    node, context, page, media = site
    member = factories.MemberFactory(username="Uploader")
    from django.test import Client

    client = Client()
    client.force_login(member)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": f"http://127.0.0.1:{node.port}",
            }
        ]
    )

    page.goto("/account/avatar")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "me.png", "mimeType": "image/png", "buffer": image_bytes()}],
    )
    page.get_by_role("button", name="Upload").click()
    page.wait_for_load_state()
    page.goto(member.get_absolute_url())
    avatar = page.locator(".profile__avatar img")
    page.wait_for_function(LOADED, arg=avatar.element_handle())

    assert avatar.evaluate("img => img.naturalWidth") == 192
    assert any(r.status == 200 and "/media/avatars/" in r.url for r in media)


def test_static_files_have_hashed_names_cached_a_year_and_404_is_the_forums(site):
    node, context, page, media = site

    response = page.goto("/no/such/page/")

    assert response.status == 404
    assert page.locator("header.site-header .site-logo").is_visible()
    assert page.locator("main form[role=search] input[name=q]").is_visible()
    stylesheet = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    assert stylesheet.startswith("/static/css/forum.") and stylesheet != (
        "/static/css/forum.css"
    )
    status, headers, _ = Visitor().get(node.port, stylesheet)
    assert status == 200
    max_age = int(headers["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age >= 365 * 24 * 3600 and "immutable" in headers["Cache-Control"]
