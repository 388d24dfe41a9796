"""The member's alerts: the page, the drop-down's fragment, reading them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from forum.core.pagination import parse_page
from forum.core.safe_redirect import safe_next
from forum.notifications import present, selectors, services


@login_required
def alerts(request):
    unread_only = request.GET.get("show") == "unread"
    page = selectors.alerts_page(
        request.user, parse_page(request.GET.get("page")), unread_only=unread_only
    )
    return render(request, "notifications/alerts.html", {"page": page})


@login_required
def recent(request):
    """The drop-down's content (alerts.js fetches it; the page works without)."""
    items = selectors.recent_alerts(request.user)
    response = render(request, "notifications/_alerts_popup.html", {"alerts": items})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def mark_read(request):
    """ "Mark read" on one alert, or "Mark all read"."""
    ids = [int(i) for i in request.POST.getlist("alert") if i.isdigit()]
    read = services.mark_alerts_read(user=request.user, ids=ids or None)
    if not ids:
        noun = "alert" if read == 1 else "alerts"
        messages.success(request, f"{read} {noun} marked read.")
    fallback = reverse("notifications:alerts")
    return redirect(safe_next(request, request.POST.get("next"), fallback))


@login_required
def open_alert(request, pk: int):
    """Follow an alert: it is read, and leads where it says."""
    alert = selectors.alert_for(request.user, pk)
    if alert is None:
        raise Http404("No such alert.")
    services.mark_alerts_read(user=request.user, ids=[alert.pk])
    fallback = reverse("notifications:alerts")
    return redirect(safe_next(request, present.target(alert), fallback))


@login_required
def mention_names(request):
    """Members whose name starts with ?q=, for the @mention picker (mentions.js)."""
    names = selectors.names_starting(request.GET.get("q", ""))
    response = JsonResponse({"names": names})
    response["Cache-Control"] = "private, max-age=60"
    return response
