from django.contrib.sitemaps import Sitemap

from content.models import Page


class PageSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Page.objects.published().order_by("pk")

    def lastmod(self, page):
        return page.updated_at
