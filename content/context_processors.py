from django.db.models import Q
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from content.models import Page

OVERVIEW = Q(depth__lte=1)  # the roots and their children: one per family


def overview_pages(language):
    """The root pages and their children (one per family): one indexed query, by the depth stored at save time."""
    return list(
        Page.objects.published()
        .filter(OVERVIEW, language=language)
        .order_by("depth", "order", "title")
        .only("title", "slug", "summary", "family", "parent_id", "language")
    )


def site_navigation(request):
    """The overview pages of the reader's language, for the header; page views pass their own."""
    language = get_language()
    # Lazy, so templates that show no navigation (the admin's) cost no query.
    return {"overview_pages": SimpleLazyObject(lambda: overview_pages(language))}
