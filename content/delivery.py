"""
Serve anonymous readers the pages stored at publish time (content.publishing), with one read.

A GET or HEAD under a language (/da/, /en/) without the site's own cookies
(session, CSRF, messages), without credentials and without a query string the
pages read (`?feedback=sent`) cannot depend on the reader: staff, drafts and
previews always come with a session cookie, and the views ignore other cookies
and query strings (a leaflet's `?utm_source=...`). It is answered from
`RenderedPage` when this release has stored the path: one indexed SELECT, then a 200, or a 304 for a
matching If-None-Match. Anything else, and any path not stored, goes on to the
rest of the middleware and the views.

The middleware comes right after the health check, so a stored page skips
every other middleware: it is stored with the headers they gave it when it was
rendered through the whole stack (security, CSP, CORP, frame options,
language), and serves them again, on its 304 too. The HTTPS redirect is kept
(a plain-HTTP request is not answered from the store when the site redirects
to HTTPS). A stored page holds no secret (no CSRF token, no session), so it
may be compressed: gzipped once per worker for each page version and origin.
"""

import functools
import gzip
import json

from django.conf import settings
from django.core.exceptions import DisallowedHost, MiddlewareNotUsed
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags

from content.models import RenderedPage
from content.publishing import RENDERING, STAND_IN_ORIGIN, release

PATH_MAX_LENGTH = RenderedPage._meta.get_field("path").max_length
# Not repeated on a 304: they describe the body it does not send.
ENTITY_HEADERS = {"content-type", "content-language"}


def _select():
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in ("html", "etag", "headers"))
    where = f"{quote('release')} = %s AND {quote('path')} = %s"
    return f"SELECT {columns} FROM {quote(RenderedPage._meta.db_table)} WHERE {where}"  # noqa: S608


@functools.lru_cache(maxsize=512)
def _gzip(etag, origin, html):
    return gzip.compress(html.replace(STAND_IN_ORIGIN, origin).encode(), compresslevel=6, mtime=0)


class StoredPageMiddleware:
    def __init__(self, get_response):
        if not settings.STORED_PAGES:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.sql = _select()
        # Only readers' pages are stored, and they all live under a language: /da/..., /en/...
        self.public = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
        self.redirect_http = settings.SECURE_SSL_REDIRECT
        self.own_cookies = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages")

    def stored(self, path):
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [release(), path])
            return cursor.fetchone()

    def __call__(self, request):
        meta = request.META
        if (
            request.method not in ("GET", "HEAD")
            or "feedback" in request.GET
            or any(name in request.COOKIES for name in self.own_cookies)
            or "HTTP_AUTHORIZATION" in meta
            or RENDERING in meta
            or not request.path.startswith(self.public)
            or len(request.path) > PATH_MAX_LENGTH
            or (self.redirect_http and not request.is_secure())
        ):
            return self.not_stored(request)
        try:
            origin = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            return self.get_response(request)  # Django answers 400
        try:
            row = self.stored(request.path)
        except (InterfaceError, OperationalError):
            # The database dropped this worker's connection while it was idle: reconnect once.
            connection.close()
            row = self.stored(request.path)
        if row is None:
            return self.not_stored(request)
        html, etag, headers = row
        headers = json.loads(headers) if isinstance(headers, str) else headers
        compressed = re_accepts_gzip.search(meta.get("HTTP_ACCEPT_ENCODING", "")) is not None
        etag = f'"{etag}-gzip"' if compressed else f'"{etag}"'
        headers = {
            **headers,
            "ETag": etag,
            "Cache-Control": settings.STORED_PAGE_CACHE_CONTROL,
            "Vary": "Accept-Encoding, Cookie",
        }
        if_none_match = meta.get("HTTP_IF_NONE_MATCH")
        if if_none_match and (
            if_none_match.strip() == "*" or etag in {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
        ):
            response = HttpResponseNotModified()
            for name, value in headers.items():
                if name.lower() not in ENTITY_HEADERS:
                    response.headers[name] = value
            return response
        if compressed:
            body = _gzip(etag, origin, html)
            headers["Content-Encoding"] = "gzip"
        else:
            body = html.replace(STAND_IN_ORIGIN, origin)
        response = HttpResponse(body, headers={**headers, "Content-Length": str(len(body))})
        response.stored_page = True
        return response

    def not_stored(self, request):
        response = self.get_response(request)
        if request.META.get("HTTP_COOKIE") and "Cache-Control" not in response:
            # Possibly a signed-in editor's page: no shared cache may keep it.
            patch_cache_control(response, private=True, no_cache=True)
        return response
