"""Drafts (saved, restored anywhere, conflicts between tabs, gone after posting
or 30 days), the preview without JavaScript, the help page, quoting."""

from datetime import timedelta

from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from forum.news.models import PostArticle
from forum.posts.models import Draft, Post
from tests import factories
from tests.news.news_helpers import make_quote


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


def _save(client, place, body, version=0, **extra):
    return client.post(
        "/composer/draft", {"place": place, "body": body, "version": version, **extra}
    )


def test_a_draft_comes_back_on_another_device_and_goes_when_posted(
    member_client, member, thread
):
    place = f"thread:{thread.pk}"
    assert _save(member_client, place, "Half a thought").json()["version"] == 1
    elsewhere = Client()
    elsewhere.force_login(member)

    page = _soup(elsewhere.get(thread.get_reply_url()))
    assert page.select_one("textarea[name=body]").get_text().strip() == "Half a thought"
    assert "is back" in page.select_one(".composer__restored").get_text()
    on_thread = _soup(elsewhere.get(thread.get_absolute_url()))
    assert "Half a thought" in on_thread.select_one(".reply-box textarea").get_text()

    factories.wait_out_flood(member)
    elsewhere.post(thread.get_reply_url(), {"body": "The whole thought."})
    assert not Draft.objects.exists()


def test_a_stale_tab_gets_a_conflict_with_the_other_text(member_client, thread):
    place = f"thread:{thread.pk}"
    _save(member_client, place, "From the laptop")  # version 1
    _save(member_client, place, "From the laptop, more", version=1)  # version 2

    stale = _save(member_client, place, "From the phone", version=1)

    assert stale.status_code == 409
    assert stale.json() == {
        "version": 2,
        "conflict": True,
        "body": "From the laptop, more",
        "title": "",
    }
    kept = _save(member_client, place, "From the phone", version=2, force="1")
    assert kept.json()["version"] == 3
    assert Draft.objects.get().body == "From the phone"


def test_drafts_expire_after_thirty_days(member_client, member, thread):
    place = f"thread:{thread.pk}"
    _save(member_client, place, "Old words")
    Draft.objects.update(updated_at=timezone.now() - timedelta(days=31))
    page = _soup(member_client.get(thread.get_reply_url()))
    assert page.select_one("textarea[name=body]").get_text().strip() == ""


def test_a_place_the_member_may_not_write_in_is_a_404(member_client, forum_node):
    locked = factories.make_thread(author=factories.MemberFactory(), node=forum_node)
    type(locked).objects.filter(pk=locked.pk).update(is_locked=True)
    assert _save(member_client, f"thread:{locked.pk}", "x").status_code == 404
    assert _save(member_client, "nowhere:1", "x").status_code == 404


def test_preview_without_javascript_shows_the_rendered_post_above_the_form(
    member_client, thread
):
    typed = "[B]Bold[/B] claim <script>alert(1)</script>"
    response = member_client.post(
        thread.get_reply_url(), {"body": typed, "preview": "1"}
    )

    page = _soup(response)
    preview = page.select_one(".preview .preview__body")
    assert preview.select_one("strong").get_text() == "Bold"
    assert not preview.select("script")
    assert page.select_one("textarea[name=body]").get_text().strip() == typed
    assert not Post.objects.filter(thread=thread, position=1).exists()


def test_preview_shows_the_news_card_of_an_article_the_forum_has(member_client, thread):
    quote = make_quote("https://tribune.com.pk/story/1/talks", headline="Talks resume")
    response = member_client.post(
        "/composer/preview",
        {"place": f"thread:{thread.pk}", "body": f"[NEWS={quote.pk}]"},
    )
    assert "Talks resume" in response.content.decode()


def test_the_help_page_lists_every_tag_rendered_live(client, db):
    page = _soup(client.get("/help/bbcode"))
    rows = page.select(".bbcode-help__table tbody tr")
    names = [row.select_one("th").contents[0].strip() for row in rows]
    for tag in ("B, I, U, S", "URL", "QUOTE", "SPOILER", "CODE", "LIST", "ATTACH"):
        assert tag in names
    bold = rows[0].select_one("td.bbwrapper")
    assert bold.select_one("strong").get_text() == "bold"


def test_quote_selected_without_javascript_quotes_each_checked_post(
    member_client, thread, other_member
):
    first = Post.objects.get(thread=thread, position=0)
    second = factories.reply(author=other_member, thread=thread, body="Second view.")
    page = _soup(member_client.get(thread.get_absolute_url()))
    assert page.select_one("form#quote-selected")
    picks = page.select("input[name=quote][form=quote-selected]")
    assert {p["value"] for p in picks} == {str(first.pk), str(second.pk)}

    reply = _soup(
        member_client.get(thread.get_reply_url(), {"quote": [first.pk, second.pk]})
    )
    text = reply.select_one("textarea[name=body]").get_text()
    assert f"post: {first.pk}" in text and f"post: {second.pk}" in text


def test_quoting_a_post_keeps_its_news_card(member_client, thread, member):
    url = "https://tribune.com.pk/story/2/dialogue"
    quote = make_quote(url, headline="Dialogue")
    post = factories.reply(author=member, thread=thread, body=f"Read this:\n{url}")
    PostArticle.objects.get_or_create(
        post=post, quote=quote, defaults={"position": 0, "url": url}
    )

    quoted = member_client.get(
        thread.get_reply_url(), {"quote": post.pk, "format": "bbcode"}
    ).content.decode()

    assert f"[NEWS={quote.pk}]" in quoted
    assert url not in quoted


def test_the_full_reply_page_has_a_breadcrumb_and_the_last_posts(
    member_client, thread, forum_node
):
    factories.reply(author=factories.MemberFactory(), thread=thread, body="Latest.")
    page = _soup(member_client.get(thread.get_reply_url()))
    crumbs = [a.get_text() for a in page.select(".breadcrumb a")]
    assert crumbs[-1] == forum_node.title
    recent = page.select(".recent-posts__item")
    assert "Latest." in recent[0].get_text()
