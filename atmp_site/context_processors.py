"""Who publishes the site and where it is, for the footer and the printed page."""

from django.conf import settings


def site_identity(request):
    origin = settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
    return {
        "site_publisher": settings.SITE_PUBLISHER,
        "site_contact_email": settings.SITE_CONTACT_EMAIL,
        "site_origin": origin,
        "page_address": origin + request.get_full_path(),
    }
