"""
Serve anonymous readers the pages stored at publish time (content.publishing), with one read.

A GET or HEAD under a language (/da/, /en/) without the site's own cookies,
credentials or a query string the pages read (`?feedback=sent`) cannot depend
on the reader: staff, drafts and previews always come with a session cookie.
It is answered from `RenderedPage` when this release stored the path: one
indexed SELECT, then a 200, or a 304 for a matching If-None-Match.

The middleware comes right after the health check, so a stored page skips the
rest: it is stored with the headers they gave it (security, CSP, CORP,
language) and serves them again, on its 304 too. A stored page holds no secret,
so it may be gzipped: once per worker for each page version and origin.

Each worker keeps the pages it has served by version, so its one query reads
only the path's etag, and the page's text only when it changed.
"""

import functools
import gzip
import json

from django.conf import settings
from django.core.exceptions import DisallowedHost, MiddlewareNotUsed
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connection, connections
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotModified
from django.http.response import ResponseHeaders
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags

from content.models import RenderedPage
from content.publishing import RENDERING, STAND_IN_ORIGIN, release
from content.rendering import shared_listings

PATH_MAX_LENGTH = RenderedPage._meta.get_field("path").max_length
# The drivers' own parameter style: sqlite3 "?", psycopg "%s".
_PLACEHOLDERS = {"sqlite": "?", "postgresql": "%s"}
# Not repeated on a 304: they describe the body it does not send.
ENTITY_HEADERS = {"content-type", "content-language"}


@functools.cache
def _read_sql(placeholder="%s"):
    # The page's text only when its version (etag) is not the one this worker
    # already holds (the HTML column, the last, is then not read at all).
    quote = connection.ops.quote_name
    table, etag, release, path = map(quote, (RenderedPage._meta.db_table, "etag", "release", "path"))
    unless_known = ", ".join(
        f"CASE WHEN {etag} = {placeholder} THEN NULL ELSE {quote(name)} END" for name in ("html", "headers")
    )
    return f"SELECT {etag}, {unless_known} FROM {table} WHERE {release} = {placeholder} AND {path} = {placeholder}"  # noqa: S608


# Entries each of this worker's memos keeps (~25 kB a page); emptied when full.
KEPT = 256
# path -> (release, etag, html, headers): the latest version of each path read here.
_versions = {}
# (etag, origin, gzip, Cache-Control) -> (body, headers, headers of a 304): a version as answered.
_answers = {}


# What the request's origin is worked out from (Django's request.scheme and get_host), and, for each
# combination a worker has met, the origin, or None for a host ALLOWED_HOSTS refuses: Django's checks
# took a seventh of a stored answer's time in the worker. Emptied when a setting changes (tests).
ORIGIN_INPUTS = ("HTTP_HOST", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT", "SERVER_NAME", "SERVER_PORT")
_origins = {}


def _origin(request, scheme_input):
    key = (request.META.get(scheme_input), request.META.get("wsgi.url_scheme"), *map(request.META.get, ORIGIN_INPUTS))
    if key not in _origins:
        try:
            origin = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            origin = None
        if len(_origins) >= KEPT:
            _origins.clear()
        _origins[key] = origin
    return _origins[key]


@receiver(setting_changed)
def _forget_origins(**kwargs):
    _origins.clear()


def _read(release, path):
    """The stored page's current version (etag, html, headers) for this release, or None: one query."""
    known = _versions.get(path)
    known_etag = known[1] if known and known[0] == release else None
    params = [known_etag, known_etag, release, path]
    db = connections[DEFAULT_DB_ALIAS]  # once: each use of django.db.connection looks it up again
    placeholder = _PLACEHOLDERS.get(db.vendor)
    if placeholder is None or db.queries_logged or db.execute_wrappers:  # counted or watched
        with db.cursor() as cursor:
            cursor.execute(_read_sql(), params)
            row = cursor.fetchone()
    else:
        # The driver's own cursor, with Django's connection handling and error classes: Django's cursor
        # wrapper took 12-17 us of the ~100 us a stored page costs in the worker.
        db.ensure_connection()
        with db.wrap_database_errors:
            row = db.connection.execute(_read_sql(placeholder), params).fetchone()
    if row is None:
        return None
    etag, html, headers = row
    if html is None:  # the version this worker holds
        return known[1:]
    if len(_versions) >= KEPT:
        _versions.clear()
    _versions[path] = (release, etag, html, json.loads(headers) if isinstance(headers, str) else headers)
    return _versions[path][1:]


def _answer(etag, html, headers, origin, compressed, cache_control):
    """The body and headers of one version of a stored page for one origin and encoding (kept: never stale)."""
    key = (etag, origin, compressed, cache_control)
    if key in _answers:
        return _answers[key]
    html = html.replace(STAND_IN_ORIGIN, origin)
    body = gzip.compress(html.encode(), compresslevel=6, mtime=0) if compressed else html.encode()
    headers = {
        **headers,
        "ETag": f'"{etag}-gzip"' if compressed else f'"{etag}"',
        "Cache-Control": cache_control,
        "Vary": "Accept-Encoding, Cookie",
    }
    not_modified = {name: value for name, value in headers.items() if name.lower() not in ENTITY_HEADERS}
    if compressed:
        headers["Content-Encoding"] = "gzip"
    headers["Content-Length"] = str(len(body))
    if len(_answers) >= KEPT:
        _answers.clear()
    # Checked and encoded once here, not on every request (a third of a stored answer's time).
    _answers[key] = (body, ResponseHeaders(headers), ResponseHeaders(not_modified))
    return _answers[key]


def _respond(response, headers):
    """`response` with the prepared `headers` (content.delivery's own ResponseHeaders, already checked)."""
    response.headers._store.update(headers._store)
    return response


class StoredPageMiddleware:
    def __init__(self, get_response):
        if not settings.STORED_PAGES:
            raise MiddlewareNotUsed
        self.get_response = get_response
        # Only readers' pages are stored, and they all live under a language: /da/..., /en/...
        self.public = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
        self.redirect_http = settings.SECURE_SSL_REDIRECT
        # The TLS proxy's header, when the site trusts one (SECURE_PROXY_SSL_HEADER).
        self.scheme_input = (settings.SECURE_PROXY_SSL_HEADER or ("wsgi.url_scheme",))[0]
        self.own_cookies = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages")

    def __call__(self, request):
        meta = request.META
        if (
            request.method not in ("GET", "HEAD")
            or (meta.get("QUERY_STRING") and "feedback" in request.GET)
            or ("HTTP_COOKIE" in meta and any(name in request.COOKIES for name in self.own_cookies))
            or "HTTP_AUTHORIZATION" in meta
            or RENDERING in meta
            or not request.path.startswith(self.public)
            or len(request.path) > PATH_MAX_LENGTH
        ):
            return self.not_stored(request)
        origin = _origin(request, self.scheme_input)
        if origin is None:
            return self.get_response(request)  # Django answers 400
        if self.redirect_http and not origin.startswith("https:"):
            return self.not_stored(request)
        name = release()
        try:
            stored = _read(name, request.path)
        except (InterfaceError, OperationalError):
            # The database dropped this worker's connection while it was idle: reconnect once.
            connection.close()
            stored = _read(name, request.path)
        if stored is None:
            return self.not_stored(request)
        compressed = re_accepts_gzip.search(meta.get("HTTP_ACCEPT_ENCODING", "")) is not None
        body, headers, not_modified = _answer(*stored, origin, compressed, settings.STORED_PAGE_CACHE_CONTROL)
        if_none_match = meta.get("HTTP_IF_NONE_MATCH")
        if if_none_match and (
            if_none_match.strip() == "*"
            or headers["ETag"] in {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
        ):
            return _respond(HttpResponseNotModified(), not_modified)
        response = _respond(HttpResponse(body), headers)
        response.stored_page = True
        return response

    def not_stored(self, request):
        if request.method in ("GET", "HEAD") and RENDERING not in request.META:
            with shared_listings():  # menu, pager and cards from one read (a store render shares its publication's)
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        if request.META.get("HTTP_COOKIE") and "Cache-Control" not in response:
            # Possibly a signed-in editor's page: no shared cache may keep it.
            patch_cache_control(response, private=True, no_cache=True)
        return response
