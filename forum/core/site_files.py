"""Files browsers ask for at fixed addresses of the site's root."""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.utils.cache import patch_cache_control


def favicon(request):
    """/favicon.ico, asked for by browsers that ignore the page's <link rel=icon>:
    a redirect to the static file (its hashed name in production, cached a year),
    kept for a day itself so a new icon reaches everyone."""
    response = HttpResponsePermanentRedirect(static("favicon.ico"))
    patch_cache_control(response, public=True, max_age=86400)
    return response
