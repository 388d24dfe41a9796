"""Posts written before a renderer change are brought up to date by one command."""

from io import StringIO

from django.core.management import call_command

from forum.posts.models import Post
from tests import factories

OLD_HTML = '<span style="color: red;">alert</span> and <strong>bold</strong>'


def _rerender(capture) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("rerender_posts", batch_size=2, stdout=out)
    return out.getvalue().strip()


def test_old_inline_styles_become_classes_on_the_page(
    client, member, forum_node, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    thread = factories.make_thread(
        author=member,
        node=forum_node,
        body="[color=red]alert[/color] and [b]bold[/b]",
        replies=2,
    )
    Post.objects.filter(pk=thread.first_post_id).update(body_html=OLD_HTML)
    assert 'style="color: red;"' in client.get(thread.get_absolute_url()).text

    assert _rerender(capture) == "1 posts rendered again."

    page = client.get(thread.get_absolute_url()).text
    assert "style=" not in page  # the cached copy was replaced too
    assert '<span class="bb-color-red">alert</span> and <strong>bold</strong>' in page
    assert _rerender(capture) == "0 posts rendered again."
