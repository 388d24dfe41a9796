"""Quote integrity: who quotes a post, and what became of a quoted post since."""

import pytest
from django.test import Client

from forum.posts import services
from tests import factories
from tests.querycount import queries_for


def quote_of(post) -> str:
    return (
        f'[QUOTE="{post.author_name}, post: {post.pk}, member: {post.author_id}"]'
        f"{post.body}[/QUOTE]\n"
    )


@pytest.fixture
def discussion(forum_node, saleem, windjammer, hawk, committed):
    thread = factories.make_thread(
        author=saleem, node=forum_node, title="Fuel prices", body="Up again."
    )
    opening = thread.posts.get(position=0)
    with committed():
        first = factories.reply(
            author=windjammer, thread=thread, body=quote_of(opening) + "Sadly."
        )
        second = factories.reply(
            author=hawk, thread=thread, body=quote_of(opening) + "As expected."
        )
    return thread, opening, first, second


def _page(thread, user=None) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(thread.get_absolute_url()).content.decode()


def _article(html: str, post) -> str:
    start = html.index(f'id="post-{post.pk}"')
    return html[start : html.index("</article>", start)]


def test_a_quoted_post_links_back_to_the_posts_that_quote_it(discussion):
    thread, opening, first, second = discussion
    html = _page(thread)
    shown = _article(html, opening)
    assert "Quoted by 2 posts:" in shown
    assert f'<a href="/posts/{first.pk}/">#2</a>' in shown
    assert f'<a href="/posts/{second.pk}/">#3</a>' in shown
    assert "Quoted by" not in _article(html, first)


def test_a_quote_of_a_post_edited_since_says_so(discussion, saleem, committed):
    thread, opening, first, second = discussion
    with committed():
        services.edit_post(editor=saleem, post=opening, body="Up again, by 10%.")
    html = _page(thread)
    for quoting in (first, second):
        article = _article(html, quoting)
        assert "quote-since--edited" in article and "Edited since" in article
    assert "Edited since" not in _article(html, opening)


def test_a_quote_of_a_post_removed_since_says_so_until_it_is_restored(
    forum_node, saleem, windjammer, hawk, committed
):
    thread = factories.make_thread(author=saleem, node=forum_node)
    with committed():
        quoted = factories.reply(author=hawk, thread=thread, body="Rumour.")
        quoting = factories.reply(
            author=windjammer, thread=thread, body=quote_of(quoted) + "Source?"
        )
    with committed():
        services.delete_post(actor=hawk, post=quoted)
    assert "Removed since" in _article(_page(thread), quoting)
    with committed():
        services.restore_post(actor=hawk, post=quoted)
    html = _page(thread)
    assert "since" not in _article(html, quoting).split("Source?")[0]
    assert "Quoted by 1 post:" in _article(html, quoted)


def test_a_hidden_quoting_post_leaves_the_backlinks(discussion, hawk, committed):
    thread, opening, first, second = discussion
    with committed():
        services.delete_post(actor=hawk, post=second)
    shown = _article(_page(thread), opening)
    assert "Quoted by 1 post:" in shown and f"/posts/{second.pk}/" not in shown


def test_a_quote_from_another_thread_shows_no_backlink(
    discussion, forum_node, windjammer, committed
):
    thread, opening, first, second = discussion
    elsewhere = factories.make_thread(author=windjammer, node=forum_node)
    with committed():
        factories.reply(author=windjammer, thread=elsewhere, body=quote_of(opening))
    assert "Quoted by 2 posts:" in _article(_page(thread), opening)


def test_quote_labels_cost_the_thread_page_no_query(discussion, forum_node, saleem):
    thread = discussion[0]
    plain = factories.make_thread(author=saleem, node=forum_node, replies=2)
    warm = factories.make_thread(author=saleem, node=forum_node)
    member = factories.MemberFactory()
    client = Client()
    client.force_login(member)
    client.get(warm.get_absolute_url())  # the caches every page shares
    with_quotes = queries_for(client, thread.get_absolute_url())
    without = queries_for(client, plain.get_absolute_url())
    assert len(with_quotes) == len(without), "\n".join(with_quotes)
