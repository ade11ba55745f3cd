"""
The XML sitemap for search engines, fast at any size.

- `/sitemap.xml` is Django's sitemap index; it lists one section per language
  (`/sitemap-da.xml`, `/sitemap-en.xml`), each paginated (`?p=2`, ...) at
  `PAGE_SIZE` addresses, so no response grows with the site.
- Only `Page.objects.published()` is listed, each page with its translation as
  an hreflang alternate when that is published too.
- Each response is kept in the `default` cache under a key carrying the page
  cache's version of "any" (`pagecache.version`), which every content change
  renews, read from the shared "generations" cache before rendering: never
  stale in any worker or container.
"""

import functools
import re

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.db.models import Max

from content.models import Page
from pagecache import content_version

PAGE_SIZE = 1000
CACHE_SECONDS = 24 * 60 * 60


class PageSitemap(Sitemap):
    """The published pages of one language, each with its translation as an hreflang alternate."""

    changefreq = "monthly"
    limit = PAGE_SIZE

    def __init__(self, language):
        self.language = language

    def items(self):
        return (
            Page.objects.published()
            .in_language(self.language)
            .select_related("translation")
            .only("slug", "language", "updated_at", "translation__slug", "translation__language")
            .order_by("pk")
        )

    def lastmod(self, page):
        return page.updated_at

    def get_latest_lastmod(self):
        # One aggregate, not a pass over every page (Django's default).
        return self.items().aggregate(latest=Max("updated_at"))["latest"]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        translation_ids = [url["item"].translation_id for url in urls if url["item"].translation_id]
        published = set(Page.objects.published().filter(pk__in=translation_ids).values_list("pk", flat=True))
        for url in urls:
            item = url["item"]
            if item.translation_id not in published:
                continue
            # The sitemap template writes these as <xhtml:link rel="alternate" hreflang=...>.
            base = url["location"].removesuffix(item.get_absolute_url())
            versions = sorted([item, item.translation], key=lambda version: version.language)
            url["alternates"] = [
                {"lang_code": version.language, "location": base + version.get_absolute_url()} for version in versions
            ]
        return urls


def sitemaps():
    from django.conf import settings

    return {code: PageSitemap(code) for code, _name in settings.LANGUAGES}


def cached(view):
    """The sitemap view, its responses kept per address, host and content version."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = ":".join(
            [
                "sitemap",
                content_version(),
                request.scheme,
                request.get_host(),
                request.path,
                request.GET.get("p", ""),
            ]
        )
        page_number = request.GET.get("p", "")
        # One key per page: "?p=01" is page 1 too, but is not kept twice.
        cacheable = page_number == "" or re.fullmatch(r"[1-9][0-9]{0,5}", page_number) is not None
        response = cache.get(key) if cacheable else None
        if response is None:
            response = view(request, *args, **kwargs)
            if cacheable and response.status_code == 200:
                response.render()
                cache.set(key, response, CACHE_SECONDS)
        return response

    return wrapper


index = cached(sitemap_views.index)
section = cached(sitemap_views.sitemap)
