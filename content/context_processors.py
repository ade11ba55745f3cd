from django.db.models import F, Q
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from content.models import Page


def overview_pages(language):
    # The roots and their children, found by the indexed parent column first:
    # filtering on the parent's parent in one query made the database read
    # every published page on each render (37 ms at 10,000 pages on SQLite,
    # against 3.5 ms this way; see scripts/bench).
    root_ids = list(Page.objects.filter(parent__isnull=True, language=language).values_list("pk", flat=True))
    candidate_ids = Page.objects.filter(Q(pk__in=root_ids) | Q(parent_id__in=root_ids)).values_list("pk", flat=True)
    return list(
        Page.objects.published()
        .filter(pk__in=list(candidate_ids))
        .order_by(F("parent_id").asc(nulls_first=True), "order", "title")
        .only("title", "slug", "summary", "family", "parent_id", "language")
    )


def site_navigation(request):
    """The overview pages (what is ATMP? and one per family) of the reader's language, for header and "Explore"."""
    language = get_language()
    # Lazy, so templates that show no navigation (the admin's) cost no query.
    return {"overview_pages": SimpleLazyObject(lambda: overview_pages(language))}
