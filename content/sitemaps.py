from django.contrib.sitemaps import Sitemap

from content.models import Page


class PageSitemap(Sitemap):
    """Every published page in both languages, each with its translation as an hreflang alternate."""

    changefreq = "monthly"

    def items(self):
        return Page.objects.published().select_related("translation").order_by("language", "pk")

    def lastmod(self, page):
        return page.updated_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            versions = [url["item"]]
            other = url["item"].translation
            if other is not None and other.is_published:
                versions.append(other)
            if len(versions) > 1:
                # The sitemap template writes these as <xhtml:link rel="alternate" hreflang=...>.
                base = url["location"].removesuffix(url["item"].get_absolute_url())
                url["alternates"] = [
                    {"lang_code": version.language, "location": base + version.get_absolute_url()}
                    for version in sorted(versions, key=lambda v: v.language)
                ]
        return urls
