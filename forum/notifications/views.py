"""The member's alerts page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from forum.notifications import selectors, services


@login_required
def alerts(request):
    items = selectors.member_alerts(request.user)
    services.mark_alerts_read(user=request.user)
    return render(request, "notifications/alerts.html", {"alerts": items})
