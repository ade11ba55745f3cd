from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from content import uploads, views
from content.sitemaps import PageSitemap

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
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PageSitemap}}, name="sitemap"),
]

# What readers see carries its language: /da/celleterapi/, /en/cell-therapy/.
urlpatterns += i18n_patterns(
    path("", include("search.urls")),
    path("glossary/", include("glossary.urls")),
    path("feedback/", include("feedback.urls")),
    path("", include("content.urls")),
)

# A database outage gets a friendly 503 with Retry-After instead of the 500 page.
handler500 = "atmp_site.outage.server_error"
