"""
Serve anonymous readers whole cached responses, validated on every request.

A request may be answered from the cache when it is a GET with no query
string, no cookies and no credentials: then nothing about the reader can
change the page (staff, drafts and previews always come with a session
cookie, so they always go through the view). On such a request the worker
checks the content generation (one single-row query, at most once per
PAGE_CACHE_LEASE; see pagecache.models for why that is never stale) and
serves the response it stored for this scheme, host and path if it was
rendered under that same generation. Anything else is rendered by the view as usual and
stored only if it is a plain 200 that sets no cookie and did not use the CSRF
token.

The entries live in each worker's memory, bounded by PAGE_CACHE_MAX_BYTES
(gunicorn's sync workers serve one request at a time, so there is no lock);
only the generation is shared. So there is no cache server to run, and an
edit saved through any worker of any container is seen by all of them on
their next request.

The middleware sits inside SecurityMiddleware and the CSP middleware, so the
SSL redirect still happens first, and it stores a response only when it is
closed, with the HSTS, CSP, Referrer-Policy and other headers those added:
a cached response carries exactly the headers of a fresh one.
"""

import hashlib
import time
from collections import OrderedDict
from functools import partial

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connection
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags, split_header_value

from pagecache.models import THE_ROW, ContentGeneration, bump, local_changes, wait_until_every_reader_knows

# What a 304 repeats from the full response (RFC 9110, section 15.4.5).
NOT_MODIFIED_HEADERS = ("Cache-Control", "ETag", "Vary", "Content-Location", "Expires")
# A response that varies on something other than these cannot be shared:
# cookies are absent from every request the cache answers.
SHAREABLE_VARY = {"cookie"}
UNSHAREABLE_CACHE_CONTROL = {"private", "no-store", "no-cache"}


class CachedResponse:
    __slots__ = ("generation", "status", "headers", "body", "etag", "size")

    def __init__(self, generation, response):
        self.generation = generation
        self.status = response.status_code
        self.headers = dict(response.headers)
        self.body = response.content
        self.etag = self.headers["ETag"]
        self.size = len(self.body) + sum(len(k) + len(v) for k, v in self.headers.items())


def etag_for(body):
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def if_none_match_matches(request, etag):
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    # Weak comparison, as RFC 9110 asks for If-None-Match.
    return header.strip() == "*" or etag in {tag.removeprefix("W/") for tag in parse_etags(header)}


def not_modified(headers):
    response = HttpResponseNotModified()
    for name in NOT_MODIFIED_HEADERS:
        if name in headers:
            response.headers[name] = headers[name]
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        if not settings.PAGE_CACHE_ENABLED:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.entries = OrderedDict()
        self.size = 0
        self.max_bytes = settings.PAGE_CACHE_MAX_BYTES
        self.exempt_prefixes = tuple(settings.PAGE_CACHE_EXEMPT_PATHS)
        self.cache_control = settings.PAGE_CACHE_CONTROL
        self.lease = settings.PAGE_CACHE_LEASE
        self.lease_until = 0.0  # time.monotonic()
        self.changes_seen = -1
        self.generation = None  # (value, expires_at), as last read
        table = connection.ops.quote_name(ContentGeneration._meta.db_table)
        self.generation_sql = f"SELECT value, expires_at FROM {table} WHERE id = {THE_ROW}"  # noqa: S608

    def __call__(self, request):
        response = self.respond(request)
        # If this request changed content, the editor hears of it only once
        # no worker anywhere can still serve the old page.
        wait_until_every_reader_knows()
        return response

    def respond(self, request):
        if not self.may_share(request):
            response = self.get_response(request)
            if request.META.get("HTTP_COOKIE") and "Cache-Control" not in response:
                # Possibly a signed-in editor's view: no shared cache may keep it.
                patch_cache_control(response, private=True, no_cache=True)
            return response

        generation = self.current_generation()
        if generation is None:
            return self.get_response(request)
        key = f"{request.scheme}://{request.get_host()}{request.path}"
        entry = self.entries.get(key)
        if entry is not None and entry.generation == generation:
            self.entries.move_to_end(key)
            if if_none_match_matches(request, entry.etag):
                return not_modified(entry.headers)
            return HttpResponse(entry.body, status=entry.status, headers=entry.headers)

        response = self.get_response(request)
        if not self.may_store(request, response):
            return response
        response.headers["ETag"] = etag_for(response.content)
        response.headers["Cache-Control"] = self.cache_control
        # Stored once the response is closed, after the outer middleware has
        # added the security headers: a hit then carries exactly those, and
        # SecurityMiddleware and the CSP middleware find nothing left to add.
        if if_none_match_matches(request, response.headers["ETag"]):
            # This response is never sent, so store it now; the outer
            # middleware adds its headers to every hit anyway.
            self.store(key, generation, response)
            return not_modified(response.headers)
        response._resource_closers.append(partial(self.store, key, generation, response))
        return response

    def may_share(self, request):
        meta = request.META
        return (
            request.method == "GET"
            and not meta.get("QUERY_STRING")
            and not meta.get("HTTP_COOKIE")
            and "HTTP_AUTHORIZATION" not in meta
            and not request.path_info.startswith(self.exempt_prefixes)
        )

    def may_store(self, request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            # Not 404: a scheduled page can fall due between two saves.
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            # The page holds a CSRF token: it belongs to this reader alone.
            return False
        if "Vary" in response and {v.lower() for v in split_header_value(response["Vary"])} - SHAREABLE_VARY:
            return False
        if "Cache-Control" in response:
            directives = {d.split("=")[0].lower() for d in split_header_value(response["Cache-Control"])}
            if directives & UNSHAREABLE_CACHE_CONTROL:
                return False
        return True

    def current_generation(self):
        """The generation to serve under, or None if there is none to trust."""
        started, changes = time.monotonic(), local_changes()
        if started >= self.lease_until or changes != self.changes_seen:
            try:
                self.generation = self.read_generation()
            except connection.Database.Error:
                # A broken connection (the database restarted): let the view's
                # own queries reconnect, and serve nothing from the cache.
                connection.close()
                self.generation = None
            # The lease counts from before the read (see pagecache.models).
            self.lease_until, self.changes_seen = started + self.lease, changes
        if self.generation is None:
            return None
        value, expires_at = self.generation
        if expires_at is not None and time.time() >= expires_at:
            # Content changed with no save (a scheduled page fell due):
            # start a new generation, which also looks up the next such time.
            bump(acknowledged=False)
            return self.current_generation()
        return value

    def read_generation(self):
        # Straight on the driver's connection: this one query is the whole
        # database cost of a cache hit, so it skips Django's per-request
        # health check (a second round trip), of which it is itself the test.
        if connection.connection is None:
            connection.ensure_connection()
        cursor = connection.connection.cursor()
        try:
            cursor.execute(self.generation_sql)
            return cursor.fetchone()
        finally:
            cursor.close()

    def store(self, key, generation, response):
        entry = CachedResponse(generation, response)
        if entry.size > self.max_bytes:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= old.size
        self.entries[key] = entry
        self.size += entry.size
        while self.size > self.max_bytes:
            _, evicted = self.entries.popitem(last=False)
            self.size -= evicted.size
