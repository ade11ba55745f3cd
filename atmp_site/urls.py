from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from content import sitemaps, uploads, views

# The markdownx editor's preview and upload, by our own views (content/uploads.py):
# editors who may change pages only; anonymous requests get a plain 404.
markdownx_patterns = [
    path("upload/", uploads.upload_image, name="markdownx_upload"),
    path("markdownify/", uploads.preview, name="markdownx_markdownify"),
]

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("markdownx/", include(markdownx_patterns)),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # The sitemap index, then one section per language, paginated and cached (content/sitemaps.py).
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": sitemaps.sitemaps(), "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemaps.section, {"sitemaps": sitemaps.sitemaps()}, name="sitemap-section"),
]


def moved_to(name):
    """A permanent redirect to `name` in the request's language, keeping the query string."""
    return RedirectView.as_view(url=reverse_lazy(name), permanent=True, query_string=True)


# What readers see carries its language, in that language: /da/soeg/,
# /en/search/. The path strings are translated (locale/da), so translate_url()
# and the language switcher map one to the other.
urlpatterns += i18n_patterns(
    path("", include("search.urls")),
    path(_("glossary/"), include("glossary.urls")),
    # The Danish pages' first, English addresses: /da/search/, /da/glossary/.
    # (In English the patterns above match first.)
    path("search/", moved_to("search:search")),
    path("glossary/", moved_to("glossary:index")),
    path("feedback/", include("feedback.urls")),
    path("", include("content.urls")),
)

# A database outage gets a friendly 503 with Retry-After instead of the 500 page.
handler500 = "atmp_site.outage.server_error"

# Uploaded images in development (DJANGO_DEBUG=1): static() adds nothing when
# debug is off, where the proxy or the production media view serves them.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
