"""
The XML sitemap for search engines, fast at any size.

- `/sitemap.xml` is Django's sitemap index; it lists one section per language
  (`/sitemap-da.xml`, `/sitemap-en.xml`), each paginated (`?p=2`, ...) at
  `PAGE_SIZE` addresses, so no response grows with the site.
- Only `Page.objects.published()` is listed, each page with its translation as
  an hreflang alternate when that is published too.
- Not cached: a section is two indexed queries, and search engines ask rarely.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max

from content.models import Page

PAGE_SIZE = 1000


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


index = sitemap_views.index
section = sitemap_views.sitemap
