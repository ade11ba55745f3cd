"""
Addresses that are not a page of their language still reach the page, in the
address's language where it can (issue 23, readers' item 4). Acts only on 404s
of the public site, so it costs nothing on the pages that exist:

- /da/car-t/, the slug of the English page whose Danish translation is
  /da/car-t-behandling/: 301 to the translation, so a Danish address keeps a
  Danish reader in Danish;
- the slug of a page in the other language without a translation: 302 to
  that page (better than "not found");
- an old slug (SlugRedirect): 301 to the page's address now, or to its
  translation in the address's language.
"""

import re

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect

from content.models import Page
from workflow.models import SlugRedirect

LANGUAGES = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
PAGE_PATH = re.compile(rf"^/(?P<language>{LANGUAGES})/(?P<slug>[-\w]+)/?$")


def in_language(page, language, visible):
    """The page in `language`: itself, or its translation when that is visible; None when there is none."""
    if page.language == language:
        return page
    if page.translation_id and visible.filter(pk=page.translation_id, language=language).exists():
        return page.translation
    return None


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
        language, slug = match["language"], match["slug"]
        user = getattr(request, "user", None)
        visible = Page.objects.visible_to(user) if user is not None else Page.objects.published()
        other = visible.exclude(language=language).filter(slug=slug).select_related("translation").first()
        if other is not None:
            translated = in_language(other, language, visible)
            if translated is not None:
                return HttpResponsePermanentRedirect(translated.get_absolute_url())
            return HttpResponseRedirect(other.get_absolute_url())
        redirect = SlugRedirect.objects.filter(old_slug=slug).select_related("page", "page__translation").first()
        if redirect is None or not Page.objects.published().filter(pk=redirect.page_id).exists():
            return response
        target = in_language(redirect.page, language, Page.objects.published()) or redirect.page
        return HttpResponsePermanentRedirect(target.get_absolute_url())
