"""Error pages in the forum's layout (400, 403, 404 and the static 500), the
health check, and the favicon."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connections
from django.test import RequestFactory, override_settings
from django.urls import path

from forum.core import errors
from forum.core import health as health_module
from tests.core.test_csp import inline_code


def _boom(request):
    raise RuntimeError("a bug")


def _denied(request):
    raise PermissionDenied("Only moderators may see the queue.")


def _suspicious(request):
    raise SuspiciousOperation("a tampered value")


urlpatterns = [
    path("-/test/boom", _boom),
    path("-/test/denied", _denied),
    path("-/test/suspicious", _suspicious),
]


@pytest.fixture
def failing_urls(settings):
    """The forum's URLs and handlers plus views that fail in each way."""
    import forum.urls

    module = type(forum.urls)("failing_urls")
    module.urlpatterns = urlpatterns + forum.urls.urlpatterns
    module.handler400 = forum.urls.handler400
    module.handler500 = forum.urls.handler500
    import sys

    sys.modules["failing_urls"] = module
    settings.ROOT_URLCONF = "failing_urls"
    yield
    del sys.modules["failing_urls"]


def assert_in_layout(page: str) -> BeautifulSoup:
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select_one("header.site-header .site-logo")["href"] == "/"
    search = soup.select_one("main form[role=search]")
    assert search["action"] == "/search/" and search.select_one("input[name=q]")
    links = {a["href"] for a in soup.select("main .error-page__links a")}
    assert "/" in links
    assert soup.select_one("footer.site-footer")
    assert inline_code(page) == []
    return soup


@pytest.mark.django_db
def test_a_missing_page_is_a_404_in_the_forum_layout(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    soup = assert_in_layout(response.content.decode())
    assert "can't find that page" in soup.h1.text
    assert soup.select_one("meta[name=robots]")["content"] == "noindex"


@pytest.mark.django_db
def test_a_missing_thread_is_the_same_404(client):
    response = client.get("/threads/gone.999999/")

    assert response.status_code == 404
    assert_in_layout(response.content.decode())


@pytest.mark.django_db
def test_a_refusal_is_a_403_in_the_layout_with_its_reason(client, failing_urls):
    response = client.get("/-/test/denied")

    assert response.status_code == 403
    soup = assert_in_layout(response.content.decode())
    assert "Only moderators may see the queue." in soup.select_one(".notice").text


@pytest.mark.django_db
def test_a_bad_request_is_a_400_in_the_layout(client, failing_urls):
    response = client.get("/-/test/suspicious")

    assert response.status_code == 400
    soup = assert_in_layout(response.content.decode())
    assert "could not understand" in soup.h1.text


@pytest.mark.django_db
def test_a_request_for_an_unknown_host_still_gets_the_static_400(client):
    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    soup = assert_in_layout(response.content.decode())
    assert "evil.example" not in response.content.decode()
    assert soup.select_one(".error-page__code").text == "400"


@pytest.mark.django_db
def test_a_bug_is_the_static_500_page(client, failing_urls):
    client.raise_request_exception = False

    response = client.get("/-/test/boom")

    assert response.status_code == 500
    soup = assert_in_layout(response.content.decode())
    assert "Something went wrong" in soup.h1.text
    assert "a bug" not in response.content.decode()  # nothing of the cause


def test_the_500_page_needs_no_database():
    """No django_db mark: any query here raises. The page is still the full
    static layout, not the last-resort text."""
    response = errors.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    soup = assert_in_layout(response.content.decode())
    assert soup.select_one("link[rel=stylesheet]")["href"].endswith(".css")


@pytest.mark.django_db
def test_health_reports_database_and_cache_ok(client, django_assert_max_num_queries):
    # SELECT 1, and the database cache's write and read back.
    with django_assert_max_num_queries(8):
        response = client.get("/-/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_fails_with_503_when_the_database_is_away(client, monkeypatch):
    def away():
        raise connections["default"].Database.OperationalError("connection refused")

    monkeypatch.setitem(health_module.CHECKS, "database", away)

    response = client.get("/-/health")

    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "database": "failing",
        "cache": "ok",
    }
    assert "refused" not in response.content.decode()


@pytest.mark.django_db
def test_health_fails_when_the_cache_loses_what_it_was_given(client):
    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    with override_settings(CACHES={"default": dummy, "pages": dummy}):
        response = client.get("/-/health")

    assert response.status_code == 503
    assert response.json()["cache"] == "failing"


@pytest.mark.django_db
def test_manage_health_exits_non_zero_when_unhealthy(monkeypatch):
    from django.core.management import CommandError, call_command

    call_command("health")  # healthy: returns
    monkeypatch.setitem(health_module.CHECKS, "cache", lambda: 1 / 0)
    with pytest.raises(CommandError):
        call_command("health")


@pytest.mark.django_db
def test_favicon_redirects_to_the_static_icon_and_pages_link_it(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].startswith("/static/favicon")
    assert "max-age=86400" in response["Cache-Control"]
    page = BeautifulSoup(client.get("/").content, "html.parser")
    assert page.select_one("link[rel=icon]")["href"].endswith(".svg")


@pytest.mark.django_db
def test_health_answers_a_probe_with_any_host_header(client):
    response = client.get("/-/health", HTTP_HOST="10.0.3.7:8000")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
