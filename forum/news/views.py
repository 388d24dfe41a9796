"""Pages for quoted articles: an article, a publication, writing a card by hand,
a staff retry, and the new-thread form's live "already discussed" check."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from forum.core.pagination import parse_page
from forum.news import selectors, services
from forum.news.forms import CardForm
from forum.news.models import NewsQuote, Publication
from forum.policy import can_edit_news_quote, can_retry_news_fetch, require


def _quote_or_404(pk: int) -> NewsQuote:
    return get_object_or_404(NewsQuote.objects.select_related("publication"), pk=pk)


def article(request, pk: int):
    quote = _quote_or_404(pk)
    data = selectors.article_page(request.user, quote)
    return render(request, "news/article.html", {"page": data, "quote": quote})


def publication(request, pk: int, page: int = 1):
    publication = get_object_or_404(Publication, pk=pk)
    data = selectors.publication_page(request.user, publication, parse_page(page))
    if data.nav.current != parse_page(page):
        return redirect(_publication_url(publication, data.nav.current))
    return render(
        request, "news/publication.html", {"page": data, "publication": publication}
    )


def _publication_url(publication: Publication, page: int) -> str:
    if page > 1:
        return reverse("news:publication_page", args=[publication.pk, page])
    return publication.get_absolute_url()


@login_required
def edit_card(request, pk: int):
    quote = _quote_or_404(pk)
    require(can_edit_news_quote(request.user, quote), "You may not edit this card.")
    initial = {
        "headline": quote.headline,
        "publication_name": quote.publication.name if quote.publication else "",
        "published": quote.published,
        "author": quote.author,
        "dateline": quote.dateline,
        "excerpt": quote.excerpt,
    }
    form = CardForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.write_card(editor=request.user, quote=quote, **form.cleaned_data)
        except services.CardRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The article card has been saved.")
            return redirect(quote.get_absolute_url())
    return render(request, "news/edit.html", {"quote": quote, "form": form})


@login_required
@require_POST
def retry(request, pk: int):
    quote = _quote_or_404(pk)
    require(can_retry_news_fetch(request.user, quote), "Only staff may do that.")
    try:
        services.retry_fetch(actor=request.user, quote=quote)
    except services.CardRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "The article will be fetched again in a moment.")
    return redirect(quote.get_absolute_url())


@login_required
@require_POST
def discussed(request):
    """The "already discussed" notice for a message being written (a fragment
    for the new-thread form's script; empty when there is nothing to say)."""
    body = request.POST.get("body", "")[: settings.FORUM_MAX_BODY_LENGTH]
    discussions = selectors.already_discussed(request.user, body)
    return render(
        request,
        "news/_already_discussed.html",
        {"discussions": discussions, "live": True},
    )
