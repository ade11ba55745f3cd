"""
Serve anonymous readers whole stored pages, checked against shared keys on every request.

A GET with no query string, no cookie and no credentials cannot depend on the
reader (staff, drafts and previews always come with a session cookie), so it
may be answered from the "pages" cache: if the entry stored for this scheme,
host and path is there and every key it depends on (pagecache/__init__.py)
still holds the value it had (`pagecache.fresh`: one read of the shared
"generations" cache per request while nothing changed). Anything else goes
to the view; a plain 200 that sets no cookie and did not use the CSRF token
is then stored, with the keys the view named
(`depends_on`) and their values read *before* the render, so a change that
commits during the render leaves the new entry already out of date.

The middleware comes right after the health check: a hit skips every other
middleware, and is stored with the headers they added (HSTS, CSP, ...), so a
hit carries exactly the headers of a fresh response. The SSL redirect is not
skipped: the key holds the scheme, and only a response that was not a redirect
is stored. Its 304 is built here, not by ConditionalGetMiddleware, because
Django's drops the security headers, which a 304 must repeat (RFC 9110 15.4.5).

Compression: a stored page is gzipped once, at store time, and served
compressed to browsers that accept it (Vary: Accept-Encoding). Only these
public pages are: a response carrying a secret (a CSRF token, a session) is
never stored, so it is never compressed (no BREACH).
"""

import gzip
import hashlib

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost, MiddlewareNotUsed
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags, split_header_value

from pagecache import GENERATIONS, content_version_reconnecting, fresh, rendering_fingerprint, start_keys

UNSHAREABLE_CACHE_CONTROL = {"private", "no-store", "no-cache"}
ENTITY_HEADERS = {"content-length", "content-type", "content-encoding"}


def depends_on(response, *keys):
    """Name the keys a view's response depends on (default: "any" content change)."""
    response.page_cache_keys = keys
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        if not settings.PAGE_CACHE_ENABLED:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.exempt_prefixes = tuple(settings.PAGE_CACHE_EXEMPT_PATHS)

    def __call__(self, request):
        if not self.may_share(request):
            response = self.get_response(request)
            if request.META.get("HTTP_COOKIE") and "Cache-Control" not in response:
                # Possibly a signed-in editor's view: no shared cache may keep it.
                patch_cache_control(response, private=True, no_cache=True)
            return response
        try:
            address = f"{request.scheme}://{request.get_host()}{request.path}"
            # Under the release too: with Redis, pages outlive a deploy (pagecache.rendering_fingerprint).
            key = f"page:{rendering_fingerprint()}:{hashlib.blake2b(address.encode()).hexdigest()}"
        except DisallowedHost:
            return self.get_response(request)  # Django answers 400
        pages, generations = caches["pages"], caches[GENERATIONS]
        started = content_version_reconnecting()  # before the render, if there is one
        entry = pages.get(key)
        if entry is not None and fresh(entry, lambda now: pages.set(key, {**entry, "any": now}), current=started):
            return self.serve(request, entry)

        # The view may judge what it keeps by it too (content.readers_copy): one read less.
        request.content_version = started
        response = self.get_response(request)
        if not self.may_store(request, response):
            return response
        named = set(getattr(response, "page_cache_keys", ("any",)))
        keys = {"site", *named} - {"any"}
        values = generations.get_many({*keys, "any"})
        if keys - values.keys():
            # Then "any" is read again after the new keys are written: a change
            # between the two must leave this page out of date.
            start_keys(keys - values.keys(), started)
            values = generations.get_many({*keys, "any"})
        if values.pop("any", None) != started or values.keys() != keys:
            return response  # content changed during the render: serve it, do not keep it
        body = response.content
        headers = dict(response.items())
        headers["Cache-Control"] = settings.PAGE_CACHE_CONTROL
        headers["ETag"] = f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
        patch_vary_headers(response, ["Accept-Encoding"])
        headers["Vary"] = response["Vary"]
        entry = {"keys": values, "any": started, "complete": "any" not in named}  # see pagecache.fresh
        entry.update(status=response.status_code, headers=headers, body=body)
        entry["gzip"] = gzip.compress(body, compresslevel=6, mtime=0)
        pages.set(key, entry)
        return self.serve(request, entry)

    def serve(self, request, entry):
        headers = dict(entry["headers"])
        body = entry["body"]
        if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            body = entry["gzip"]
            headers.update({"Content-Encoding": "gzip", "Content-Length": str(len(body))})
            headers["ETag"] = headers["ETag"][:-1] + '-gzip"'
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match and (
            if_none_match.strip() == "*"
            or headers["ETag"] in {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
        ):
            response = HttpResponseNotModified()
            for name, value in headers.items():
                if name.lower() not in ENTITY_HEADERS:
                    response.headers[name] = value
            return response
        return HttpResponse(body, status=entry["status"], headers=headers)

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
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False  # the page holds a CSRF token: it belongs to this reader alone
        vary = {v.lower() for v in split_header_value(response.get("Vary", ""))}
        if vary - {"cookie", "accept-encoding"}:
            return False
        directives = {d.split("=")[0].lower() for d in split_header_value(response.get("Cache-Control", ""))}
        return not directives & UNSHAREABLE_CACHE_CONTROL
