"""The benchmark's yardstick page."""

from django.shortcuts import render


def ceiling(request):
    """The benchmark's yardstick: Django's full request path and one tiny template,
    no query of its own. Every page is reported as a fraction of its speed."""
    return render(request, "devtools/ceiling.html")
