"""The search results page."""

import hashlib

from django.core.cache import caches
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language

from search.models import CACHE_SECONDS, MAX_QUERY_LENGTH, SearchEntry, clean_query, search_versions


def search(request):
    """
    The results, rendered once per address (the query string included) for
    each content version (`pagecache.content_version()`, which every
    content change renews) and index version (a rebuilt index has new word ids): a
    repeated search is two small queries and no rendering, and never stale.
    """
    versions = search_versions()
    address = hashlib.blake2b(request.build_absolute_uri().encode(), digest_size=16).hexdigest()
    key = f"searchpage:{versions}:{get_language()}:{address}"
    html = caches["default"].get(key)
    if html is None:
        raw_query = request.GET.get("q", "")
        outcome = SearchEntry.objects.search(raw_query, get_language(), versions) if clean_query(raw_query) else None
        context = {
            "query": clean_query(raw_query),
            "was_cut": len(raw_query.strip()) > MAX_QUERY_LENGTH,
            "max_query_length": MAX_QUERY_LENGTH,
            "outcome": outcome,
        }
        html = render_to_string("search/results.html", context, request)
        caches["default"].set(key, html, CACHE_SECONDS)
    return HttpResponse(html)
