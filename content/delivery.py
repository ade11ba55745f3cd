"""
Serve anonymous readers the pages stored at publish time (content.publishing), with one read.

A GET or HEAD with no query string, no cookie and no credentials cannot depend
on the reader (staff, drafts and previews always come with a session cookie),
so it is answered from `RenderedPage` when this release has stored the path:
one indexed SELECT, then 200 or 304 by Django's own conditional-GET helper.
Anything else, and any path not stored, goes on to the views.

The middleware sits after the header middleware (security, CORP, CSP), so a
stored page and its 304 carry the same headers as a rendered one. A stored
page holds no secret (no CSRF token, no session), so it may be compressed:
gzipped once per worker for each page version and origin, served to browsers that accept it.
"""

import functools
import gzip

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import get_conditional_response, patch_vary_headers

from content.models import RenderedPage
from content.publishing import STAND_IN_ORIGIN, release

PATH_MAX_LENGTH = RenderedPage._meta.get_field("path").max_length


def _select():
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in ("html", "etag", "content_type", "language"))
    where = f"{quote('release')} = %s AND {quote('path')} = %s"
    return f"SELECT {columns} FROM {quote(RenderedPage._meta.db_table)} WHERE {where}"  # noqa: S608


@functools.lru_cache(maxsize=512)
def _gzip(etag, origin, html):
    return gzip.compress(html.replace(STAND_IN_ORIGIN, origin).encode(), compresslevel=6, mtime=0)


def compress(etag, origin, html):
    """The page with the request's origin, gzipped once per page version and origin (the etag names the version)."""
    return _gzip(etag, origin, html)


class StoredPageMiddleware:
    def __init__(self, get_response):
        if not settings.STORED_PAGES:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.sql = _select()
        # Only readers' pages are stored, and they all live under a language: /da/..., /en/...
        self.public = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)

    def stored(self, path):
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [release(), path])
            return cursor.fetchone()

    def __call__(self, request):
        meta = request.META
        if (
            request.method not in ("GET", "HEAD")
            or meta.get("QUERY_STRING")
            or meta.get("HTTP_COOKIE")
            or "HTTP_AUTHORIZATION" in meta
            or len(request.path) > PATH_MAX_LENGTH
            or not request.path.startswith(self.public)
        ):
            return self.get_response(request)
        try:
            row = self.stored(request.path)
        except (InterfaceError, OperationalError):
            # The database dropped this worker's connection while it was idle: reconnect once.
            connection.close()
            row = self.stored(request.path)
        if row is None:
            return self.get_response(request)
        html, etag, content_type, language = row
        compressed = re_accepts_gzip.search(meta.get("HTTP_ACCEPT_ENCODING", "")) is not None
        origin = f"{request.scheme}://{request.get_host()}"
        body = compress(etag, origin, html) if compressed else html.replace(STAND_IN_ORIGIN, origin)
        etag = f'"{etag}{"-gzip" if compressed else ""}"'
        response = get_conditional_response(request, etag=etag)
        if response is None:
            response = HttpResponse(body, content_type=content_type)
            if compressed:
                response["Content-Encoding"] = "gzip"
        response["ETag"] = etag
        response["Content-Language"] = language
        response["Cache-Control"] = settings.STORED_PAGE_CACHE_CONTROL
        patch_vary_headers(response, ["Accept-Encoding", "Cookie"])
        response.stored_page = True
        return response
