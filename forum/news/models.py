"""Quoted news articles: the card a pasted link becomes, and where it is quoted.

A NewsQuote is one article, keyed by its normalized canonical URL, shared by every
post that quotes it: the site is fetched once, not once per post. PostArticle links
a post to the articles it embeds, in order, so a page can fetch every card it shows
in one query and an article page can list the threads that discuss it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

# A card is a taste of the article, not a copy of it.
EXCERPT_MAX_LENGTH = 600
HEADLINE_MAX_LENGTH = 300
NAME_MAX_LENGTH = 200
URL_MAX_LENGTH = 2048
# A post shows at most this many cards; further links stay plain links.
MAX_ARTICLES_PER_POST = 10


class Publication(models.Model):
    """A news outlet, one per web domain ("tribune.com.pk", without "www.")."""

    name = models.CharField(max_length=NAME_MAX_LENGTH)
    domain = models.CharField(max_length=253, unique=True)
    logo = models.ImageField(upload_to="news/logos/", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:publication", kwargs={"pk": self.pk})


class NewsQuoteQuerySet(models.QuerySet):
    def showable(self):
        """Cards with something to show; the others stay plain links."""
        return self.filter(status__in=NewsQuote.SHOWN_STATUSES)


class NewsQuote(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the site"
        OK = "ok", "Fetched"
        FAILED = "failed", "Could not be fetched"
        MANUAL = "manual", "Written by hand"

    SHOWN_STATUSES = (Status.OK, Status.MANUAL)

    # Normalized (tracking parameters dropped); after a fetch, the page's own
    # canonical URL when it names the same site.
    url = models.URLField(max_length=URL_MAX_LENGTH, unique=True)
    headline = models.CharField(max_length=HEADLINE_MAX_LENGTH, blank=True)
    publication = models.ForeignKey(
        Publication,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quotes",
    )
    author = models.CharField("byline", max_length=NAME_MAX_LENGTH, blank=True)
    published = models.DateField(null=True, blank=True)
    dateline = models.CharField(max_length=100, blank=True)
    # Re-encoded by process_news_image and kept in our storage: the card never
    # hot-links the publisher's image.
    # Dimensions are stored with the file rather than through width_field, which
    # would open the file from storage whenever a row without them is loaded.
    image = models.ImageField(upload_to="news/%Y/%m/", blank=True)
    image_width = models.PositiveIntegerField(null=True, blank=True)
    image_height = models.PositiveIntegerField(null=True, blank=True)
    excerpt = models.TextField(max_length=EXCERPT_MAX_LENGTH, blank=True)
    # When the site was last asked (null: never yet).
    fetched_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    # Why the last fetch failed, in words fit to show the member.
    error = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # A person wrote or corrected the card: no fetch may overwrite it.
    manual = models.BooleanField(default=False)

    objects = NewsQuoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["publication", "-created_at"], name="news_pub_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(manual=False) | Q(status="manual"),
                name="news_manual_card_has_manual_status",
            )
        ]

    def __str__(self):
        return self.headline or self.url

    def get_absolute_url(self):
        return reverse("news:article", kwargs={"pk": self.pk})

    @property
    def is_shown(self) -> bool:
        return self.status in self.SHOWN_STATUSES

    @property
    def domain(self) -> str:
        from forum.news.embeds import site_domain

        return site_domain(self.url)


class PostArticle(models.Model):
    """One article embedded in one post (``[NEWS=id]`` or a link on its own line)."""

    post = models.ForeignKey(
        "posts.Post", on_delete=models.CASCADE, related_name="news_articles"
    )
    quote = models.ForeignKey(
        NewsQuote, on_delete=models.CASCADE, related_name="post_links"
    )
    position = models.PositiveSmallIntegerField()
    # The link as the post wrote it, normalized ("" for [NEWS=id]): it finds the
    # link in the post's HTML, and the article again when it is pasted again.
    url = models.CharField(max_length=URL_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["post", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "quote"], name="news_one_link_per_post_article"
            ),
            models.UniqueConstraint(
                fields=["post", "position"], name="news_post_article_position"
            ),
        ]
        indexes = [
            models.Index(fields=["quote", "post"], name="news_quote_posts_idx"),
            models.Index(fields=["url"], name="news_link_url_idx"),
        ]

    def __str__(self):
        return f"Post {self.post_id} quotes {self.quote_id}"
