from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from markdownx.views import ImageUploadView, MarkdownifyView

from content import views
from content.sitemaps import PageSitemap

# The markdownx preview and upload are editing tools: staff only. Anonymous
# requests are sent to the admin login and never render or store anything.
markdownx_patterns = [
    path("upload/", staff_member_required(ImageUploadView.as_view()), name="markdownx_upload"),
    path("markdownify/", staff_member_required(MarkdownifyView.as_view()), name="markdownx_markdownify"),
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

# Uploaded images in development (DJANGO_DEBUG=1): static() adds nothing when
# debug is off, where the proxy or the production media view serves them.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
