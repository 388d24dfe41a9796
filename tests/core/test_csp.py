"""The Content Security Policy: every page carries it, with the directives the
forum needs and nothing looser, and no page needs inline script or style;
report-only mode and outside media by the environment; the endpoint that logs
what browsers report."""

import json
import logging
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from forum.core.markup.tags import YOUTUBE_EMBED_PREFIX
from tests import factories
from tests.test_settings import run_manage

EXPECTED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "https:"],
    "font-src": ["'self'"],
    "frame-src": ["https://www.youtube-nocookie.com"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "report-uri": ["/csp-report/"],
}


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


# Everything that used to write an inline style: colours, fonts, letter avatars.
COLOURFUL = (
    "[COLOR=red]red[/COLOR] [COLOR=#123456]hex[/COLOR] [FONT=Georgia]serif[/FONT] "
    "[SIZE=6]big[/SIZE] [MEDIA=youtube]dQw4w9WgXcQ[/MEDIA] [SPOILER]s[/SPOILER]"
)
# Data blocks, never run: browsers do not hold them to script-src.
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def inline_code(page: str) -> list[str]:
    """What a policy without 'unsafe-inline' would block: style attributes and
    elements, event handler attributes, javascript: links, inline scripts."""
    soup = BeautifulSoup(page, "html.parser")
    found = [f"<style> {tag}" for tag in soup.find_all("style")]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name == "style" or name.startswith("on"):
                found.append(f"{tag.name} {name}={value!r}")
            if value.strip().lower().startswith("javascript:"):
                found.append(f"{tag.name} {name}={value!r}")
    for script in soup.find_all("script"):
        if not script.get("src") and script.get("type") not in DATA_SCRIPT_TYPES:
            found.append(f"inline <script> {script.get_text()[:60]!r}")
    return found


@pytest.fixture
def board(db):
    author = factories.MemberFactory(username="Windjammer")
    node = factories.ForumFactory(title="Pakistan Defence")
    thread = factories.make_thread(
        author=author, node=node, title="Strategic dialogue", body=COLOURFUL
    )
    factories.reply(author=factories.MemberFactory(), thread=thread)
    thread.refresh_from_db()
    return author, node, thread


def _pages(author, node, thread):
    return [
        reverse("threads:index"),
        node.get_absolute_url(),
        thread.get_absolute_url(),
        reverse("discovery:whats_new"),
        reverse("members:list"),
        author.get_absolute_url(),
        reverse("search:search") + "?q=dialogue",
        reverse("account_login"),
        reverse("account_signup"),
        reverse("posts:bbcode_help"),
        "/no-such-page/",
    ]


@pytest.mark.parametrize("who", ["guest", "member"])
def test_every_page_carries_the_policy_and_needs_no_inline_code(client, board, who):
    author, node, thread = board
    pages = _pages(author, node, thread)
    if who == "member":
        client.force_login(author)
        pages += [
            reverse("members:account_profile"),
            reverse("account_email"),
            thread.get_reply_url(),  # the composer: toolbar, uploads, preview
            node.get_post_thread_url(),  # with the poll's fields
            reverse("posts:poll_add", kwargs={"pk": thread.pk}),
            reverse("posts:edit", kwargs={"pk": thread.first_post_id}),
            reverse("notifications:alerts"),
            reverse("notifications:recent"),
            reverse("notifications:watched"),
            reverse("notifications:preferences"),
            thread.get_absolute_url() + "watch",
            node.get_absolute_url() + "watch",
        ]
    for path in pages:
        response = client.get(path)
        assert response["Content-Type"].startswith("text/html"), path
        assert directives(response["Content-Security-Policy"]) == EXPECTED, path
        assert "Content-Security-Policy-Report-Only" not in response
        assert inline_code(response.content.decode()) == [], path


def test_moderator_and_admin_pages_carry_the_policy_and_need_no_inline_code(
    client, board
):
    admin = factories.MemberFactory(username="Boss", is_staff=True, is_superuser=True)
    client.force_login(admin)
    for name in ("moderation:queue", "moderation:reports", "moderation:log"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert directives(response["Content-Security-Policy"]) == EXPECTED, name
        assert inline_code(response.content.decode()) == [], name
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == EXPECTED
    assert inline_code(response.content.decode()) == []


def test_a_page_from_the_guest_cache_carries_the_policy_too(client, board):
    _, _, thread = board
    client.get(thread.get_absolute_url())
    response = client.get(thread.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    assert directives(response["Content-Security-Policy"]) == EXPECTED


def test_the_embeds_origin_is_the_one_media_tags_use():
    parts = urlsplit(YOUTUBE_EMBED_PREFIX)
    assert EXPECTED["frame-src"] == [f"{parts.scheme}://{parts.netloc}"]


def test_the_report_address_is_the_report_endpoint():
    assert EXPECTED["report-uri"] == [reverse("csp_report")]


_SHOW_POLICY = (
    "from django.conf import settings; from csp.utils import build_policy; "
    "print(hasattr(settings, 'CONTENT_SECURITY_POLICY')); "
    "print(build_policy(report_only=True) or '-'); print(build_policy() or '-')"
)


def _policies(**env) -> tuple[bool, str, str]:
    result = run_manage("shell", "-c", _SHOW_POLICY, DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    enforced, report_only, policy = result.stdout.strip().splitlines()[-3:]
    return enforced == "True", report_only, policy


def test_report_only_mode_is_switched_on_by_the_environment():
    enforced, report_only, policy = _policies(CSP_REPORT_ONLY="1")
    assert not enforced and policy == "-"
    assert directives(report_only) == EXPECTED


def test_an_absolute_media_address_joins_the_image_sources():
    enforced, _, policy = _policies(
        MEDIA_URL="https://media.example.net/forum/",
        CSP_POST_IMAGES="",
        CSP_REPORT_URI="",
    )
    assert enforced
    found = directives(policy)
    assert found["img-src"] == ["'self'", "https://media.example.net"]
    assert found["script-src"] == ["'self'"]
    assert "report-uri" not in found


# --- the report endpoint ---------------------------------------------------------

REPORT = {
    "csp-report": {
        "document-uri": "http://testserver/threads/x.1/",
        "referrer": "",
        "violated-directive": "style-src-attr",
        "effective-directive": "style-src-attr",
        "original-policy": "default-src 'self'",
        "disposition": "enforce",
        "blocked-uri": "inline",
        "line-number": 12,
        "source-file": "http://testserver/threads/x.1/",
        "status-code": 200,
    }
}


def _send(client, report, **extra):
    return client.post(
        reverse("csp_report"),
        data=json.dumps(report) if not isinstance(report, bytes) else report,
        content_type="application/csp-report",
        **extra,
    )


def test_a_reported_violation_is_logged_on_one_line(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="forum.csp"):
        response = _send(client, REPORT)
    assert response.status_code == 204
    [record] = caplog.records
    assert record.getMessage() == (
        "Content Security Policy violation: page=http://testserver/threads/x.1/ "
        "directive=style-src-attr blocked=inline "
        "source=http://testserver/threads/x.1/ line=12 disposition=enforce"
    )


def test_a_report_cannot_write_more_than_one_short_line(client, db, caplog):
    hostile = {"csp-report": {"blocked-uri": "x\nFAKE LOG LINE\r" + "y" * 5000}}
    with caplog.at_level(logging.WARNING, logger="forum.csp"):
        _send(client, hostile)
    [record] = caplog.records
    message = record.getMessage()
    assert "\n" not in message and "\r" not in message
    assert len(message) < 300


@pytest.mark.parametrize(
    "body", [b"not json", b"[1, 2]", b'{"other": {}}', b"x" * (9 * 1024)]
)
def test_unreadable_or_oversized_reports_are_dropped(client, db, caplog, body):
    with caplog.at_level(logging.WARNING, logger="forum.csp"):
        response = _send(client, body)
    assert response.status_code == 204
    assert caplog.records == []


def test_one_address_cannot_flood_the_log(client, db, caplog, settings):
    settings.FORUM_RATE_LIMITS = {**settings.FORUM_RATE_LIMITS, "csp_report": (3, 60)}
    with caplog.at_level(logging.WARNING, logger="forum.csp"):
        for _ in range(6):
            assert _send(client, REPORT).status_code == 204
        _send(client, REPORT, REMOTE_ADDR="203.0.113.9")
    assert len(caplog.records) == 4


def test_the_endpoint_takes_only_posts(client, db):
    assert client.get(reverse("csp_report")).status_code == 405


def test_a_refused_form_explains_itself_without_inline_style(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("account_login"), {"login": "x", "password": "y"}
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert "page was open too long" in page
    assert inline_code(page) == []
    assert directives(response["Content-Security-Policy"]) == EXPECTED
