from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from content.rendering import overview_pages


def site_navigation(request):
    """The overview pages of the reader's language, for the header; page views pass their own."""
    language = get_language()
    # Lazy, so templates that show no navigation (the admin's) cost no query.
    return {"overview_pages": SimpleLazyObject(lambda: overview_pages(language))}
