"""Two web processes on one machine (two gunicorns, the page cache and version
counters in shared folders, one PostgreSQL): a write through one is seen through
the other on the very next request, by guests and by members."""

import re
import tempfile
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from forum.devtools import bench
from tests import factories

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    db = connection.settings_dict
    host = db["HOST"]
    if host.startswith("/"):  # the embedded server's socket folder
        return f"postgres://{db['USER']}@/{db['NAME']}?host={host}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{db['PORT']}/{db['NAME']}"


def _session_for(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


@pytest.fixture
def nodes(tmp_path):
    shared = Path(tempfile.mkdtemp(prefix="forum-two-nodes-"))
    env = {
        "DEBUG": "1",
        "DATABASE_URL": _database_url(),
        "PAGE_CACHE_DIR": str(shared / "pages"),
        "FORUM_VERSIONS_DIR": str(shared / "versions"),
        "RATE_LIMITS": "0",
        "FORUM_APPROVAL_POSTS": "0",
        "FORUM_DEVTOOLS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    servers = []
    try:
        for name in ("a", "b"):
            server = bench.Gunicorn(
                workers=1,
                env=env,
                cwd=ROOT,
                log_path=tmp_path / f"{name}.log",
                ready_path="/-/ceiling",
            )
            server.__enter__()
            servers.append(server)
        yield servers[0].port, servers[1].port
    finally:
        for server in servers:
            server.__exit__(None, None, None)


def _post(port, path, form: dict, cookie: str):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "POST",
            path,
            body=urlencode(form),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Origin": f"http://127.0.0.1:{port}",
                "Referer": f"http://127.0.0.1:{port}{path}",
            },
        )
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _form_token(port, path, cookie) -> tuple[str, str]:
    status, headers, body = bench.get(port, path, {"Cookie": cookie})
    assert status == 200, (path, status)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1]
    jar = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return token.decode(), f"{cookie}; csrftoken={jar['csrftoken'].value}"


def _page(port, path, cookie="") -> tuple[str, str]:
    status, headers, body = bench.get(port, path, {"Cookie": cookie} if cookie else {})
    assert status == 200, (port, path, status)
    return body.decode(), headers.get("X-Page-Cache", "")


def test_a_write_through_one_process_shows_at_once_through_the_other(nodes):
    a, b = nodes
    forum_node = factories.ForumFactory(title="Pakistan Defence")
    author = factories.MemberFactory(username="Desert Hawk", location="Lahore")
    reader = factories.MemberFactory(username="Saleem")
    thread = factories.make_thread(author=author, node=forum_node, title="Radar")
    url = thread.get_absolute_url()
    member = f"sessionid={_session_for(reader)}"
    writer = f"sessionid={_session_for(author)}"
    factories.wait_out_flood(author)

    for port in (a, b):  # both processes hold the page: guests and members
        _page(port, url)
        assert _page(port, url)[1] == "hit"
        _page(port, url, member)
    assert _page(b, url, member)[1] == "member-hit"

    token, cookie = _form_token(a, thread.get_reply_url(), writer)
    status = _post(
        a,
        thread.get_reply_url(),
        {"body": "Radar upgrade confirmed.", "csrfmiddlewaretoken": token},
        cookie,
    )
    assert status == 302

    for cookie_b in ("", member):  # through the other process, at once
        page, how = _page(b, url, cookie_b)
        assert "Radar upgrade confirmed." in page, how

    token, cookie = _form_token(a, "/account/profile", writer)
    status = _post(
        a,
        "/account/profile",
        {
            "csrfmiddlewaretoken": token,
            "country": "PK",
            "location": "Rawalpindi",
            "website": "",
            "about": "",
            "signature": "",
            "theme": "auto",
            "time_zone": "",
        },
        cookie,
    )
    assert status == 302
    for cookie_b in ("", member):
        page, _ = _page(b, url, cookie_b)
        assert "Rawalpindi" in page and "Lahore" not in page
