"""A post's search vector, written with the post (and again when a move or an
edit changes what it says)."""

import html
import re

from django.contrib.postgres.search import SearchVector
from django.db.models import Value
from django.utils.html import strip_tags

from forum.posts.models import Post

_TAG_GAP = re.compile(r"<")


def index_post(post: Post, *, title: str = "") -> None:
    """Store the post's search vector: the thread title (weight A) for the first post,
    the rendered text (weight B)."""
    # Tags become spaces: "<li>one</li><li>two</li>" is two words, not "onetwo".
    text = " ".join(
        html.unescape(strip_tags(_TAG_GAP.sub(" <", post.body_html))).split()
    )
    vector = SearchVector(Value(text), weight="B", config="english")
    if title:
        vector = SearchVector(Value(title), weight="A", config="english") + vector
    Post.objects.filter(pk=post.pk).update(search_vector=vector)
