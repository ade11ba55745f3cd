"""
Old addresses keep working: a reader's 404 for /da/<old-slug>/ becomes a
301 to the page's address now. Acts only on 404s of the public site, so it
costs nothing on the pages that exist.
"""

import re

from django.conf import settings
from django.http import HttpResponsePermanentRedirect

from content.models import Page
from workflow.models import SlugRedirect

LANGUAGES = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
PAGE_PATH = re.compile(rf"^/(?:{LANGUAGES})/(?P<slug>[-\w]+)/?$")


class SlugRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        match = PAGE_PATH.match(request.path_info)
        if match is None:
            return response
        redirect = SlugRedirect.objects.filter(old_slug=match["slug"]).select_related("page").first()
        if redirect is None or not Page.objects.published().filter(pk=redirect.page_id).exists():
            return response
        return HttpResponsePermanentRedirect(redirect.page.get_absolute_url())
