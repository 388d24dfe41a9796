"""How news plugs into the apps below it (called from NewsConfig.ready()):

- BBCode knows `[NEWS=id]` (forum.core.markup's tag registry);
- a post's body shows article cards in place of `[NEWS=id]` and of article links
  alone on their line (forum.posts.extensions body add-on);
- every post written or edited records the articles it embeds and queues their
  fetching on commit (a write hook);
- the new-thread form warns when its article is already being discussed (a form
  part);
- a thread's link preview shows its first article's picture (a post picture).
"""

from forum.news.embeds import normalized, swap_cards
from forum.news.markup import register_news_tag
from forum.news.models import NewsQuote, PostArticle
from forum.news.selectors import already_discussed, news_for_posts, preview_cards
from forum.news.services import attach_articles
from forum.posts import extensions


def _pictures(posts: list) -> dict[int, str]:
    """The first shown article picture of each post (a thread's link preview
    asks for its first post's alone)."""
    ids = [post.pk for post in posts]
    links = (
        PostArticle.objects.filter(
            **({"post_id": ids[0]} if len(ids) == 1 else {"post_id__in": ids}),
            quote__status__in=NewsQuote.SHOWN_STATUSES,
        )
        .exclude(quote__image="")
        .order_by("post_id", "position")
        .values_list("post_id", "quote__image")
    )
    found: dict[int, str] = {}
    for post_id, image in links:
        found.setdefault(post_id, image)
    return found


def _quoted_as_shown(posts: list) -> dict[int, str]:
    """A quote of a post keeps its cards: an article link alone on its line
    (shown as a card) becomes `[NEWS=id]` in the quoted text (inside a quote a
    bare link would stay a link)."""
    links = PostArticle.objects.filter(
        post_id__in=[post.pk for post in posts],
        quote__status__in=NewsQuote.SHOWN_STATUSES,
    ).exclude(url="")
    by_post: dict[int, dict[str, int]] = {}
    for link in links.values("post_id", "url", "quote_id", "quote__url"):
        found = by_post.setdefault(link["post_id"], {})
        found[link["url"]] = found[link["quote__url"]] = link["quote_id"]
    bodies = {}
    for post in posts:
        cards = by_post.get(post.pk)
        if not cards:
            continue
        lines = []
        for line in post.body.split("\n"):
            url = normalized(line.strip()) if line.strip().startswith("http") else None
            lines.append(f"[NEWS={cards[url]}]" if url in cards else line)
        bodies[post.pk] = "\n".join(lines)
    return bodies


def install() -> None:
    register_news_tag()
    extensions.register_body_addon(
        extensions.BodyAddon(
            name="news",
            collect=news_for_posts,
            apply=swap_cards,
            per_viewer=lambda news: bool(news and news.per_viewer),
            preview=preview_cards,
        )
    )
    extensions.register_write_hook("news", attach_articles)
    extensions.register_thread_form_part(
        extensions.ThreadFormPart(
            name="news",
            template="news/_discussed_box.html",
            context_name="discussions",
            check=already_discussed,
        )
    )
    extensions.register_post_picture("news", _pictures)
    extensions.register_quote_source("news", _quoted_as_shown)
