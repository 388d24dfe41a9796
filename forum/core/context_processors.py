from django.conf import settings


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_DESCRIPTION": getattr(settings, "SITE_DESCRIPTION", ""),
    }
