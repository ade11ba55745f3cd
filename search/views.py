"""The search results page."""

from django.shortcuts import render
from django.utils.translation import get_language

from search.models import MAX_QUERY_LENGTH, SearchEntry, clean_query


def search(request):
    raw_query = request.GET.get("q", "")
    query = clean_query(raw_query)
    context = {
        "query": query,
        "was_cut": len(raw_query.strip()) > MAX_QUERY_LENGTH,
        "max_query_length": MAX_QUERY_LENGTH,
        "outcome": SearchEntry.objects.search(query, get_language()) if query else None,
    }
    return render(request, "search/results.html", context)
