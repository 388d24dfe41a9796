"""The error pages' views (forum/urls.py names them as Django's handlers).

400, 403 and 404 render in the forum's layout like any page. The 500 page must
show while the forum itself is failing, so it is rendered from the static layout
(templates/errors/static.html) with nothing but settings: no database, no
session, no context processors. A 400 whose request cannot even name an allowed
host (DisallowedHost) gets the static layout too, since the normal one builds
absolute links from the host.
"""

import logging

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

# If even the static template fails (a missing static manifest, say).
_LAST_RESORT = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Server error</title>"
    "<h1>Something went wrong on our side</h1>"
    '<p>Please try again in a minute. <a href="/">Back to the forum index</a></p>'
)


def _static_page(template_name: str) -> str:
    try:
        template = loader.get_template(template_name)
        return template.render({"SITE_NAME": settings.SITE_NAME})
    except Exception:
        logger.exception(
            "The static error page %s could not be rendered", template_name
        )
        return _LAST_RESORT


def server_error(request, template_name: str = "500.html"):
    return HttpResponseServerError(_static_page(template_name))


def bad_request(request, exception, template_name: str = "400.html"):
    try:
        request.get_host()
    except Exception:
        return HttpResponseBadRequest(_static_page("errors/400_static.html"))
    return defaults.bad_request(request, exception, template_name=template_name)
