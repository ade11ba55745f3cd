"""The search results page and the human-readable site map."""

from django.shortcuts import render
from django.utils.translation import get_language

from content.models import Page
from search.models import MAX_QUERY_LENGTH, SearchEntry, clean_query


def search(request):
    raw_query = request.GET.get("q", "")
    outcome = SearchEntry.objects.search(raw_query, get_language()) if clean_query(raw_query) else None
    context = {
        "query": clean_query(raw_query),
        "was_cut": len(raw_query.strip()) > MAX_QUERY_LENGTH,
        "max_query_length": MAX_QUERY_LENGTH,
        "outcome": outcome,
    }
    return render(request, "search/results.html", context)


def site_map(request):
    """Every published page as a tree, for readers (sitemap.xml is for search engines)."""
    pages = list(
        Page.objects.published()
        .in_language(get_language())
        .order_by("order", "title")
        .only("title", "slug", "summary", "parent_id", "language")
    )
    published_ids = {page.pk for page in pages}
    children = {}
    for page in pages:
        parent = page.parent_id if page.parent_id in published_ids else None
        children.setdefault(parent, []).append(page)

    def tree(parent_id):
        return [{"page": page, "children": tree(page.pk)} for page in children.get(parent_id, [])]

    return render(request, "search/site_map.html", {"tree": tree(None)})
