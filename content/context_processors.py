from django.db.models import F
from django.utils.translation import get_language

from content.models import Page


def site_navigation(request):
    """The overview pages (what is ATMP? and one per family) for header and "Explore" blocks."""
    overview = (
        Page.objects.published()
        .in_language(get_language())
        .filter(parent__parent__isnull=True)
        .order_by(F("parent_id").asc(nulls_first=True), "order", "title")
        .only("title", "slug", "summary", "family", "parent_id", "language")
    )
    return {"overview_pages": overview}
