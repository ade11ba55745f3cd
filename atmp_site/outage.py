"""
What a reader gets when the database cannot be reached: a friendly 503.

Django turns any uncaught exception, wherever it is raised (a view, a template,
a context processor, a middleware), into a call to `handler500` while the
exception is being handled; this handler looks at that exception. A lost or
refused database connection (OperationalError, InterfaceError) is an outage,
not a bug: the reader gets "503 Service Unavailable" with `Retry-After`, which
tells browsers, proxies and search engines to come back rather than to drop the
page. Everything else stays a 500.

Both pages are rendered without a request context: the context processors
query the database, which is what has just failed.

Recovery needs no restart: a request that meets a dead connection gets this
503, and Django closes that connection, so the next request opens a fresh
one once the database answers again; a page-cache hit does not even see the
dead connection.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

# Seconds a client should wait before retrying; a database restart or
# fail-over usually takes well under a minute.
RETRY_AFTER_SECONDS = 30


def database_is_unreachable(exc):
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request):
    """handler500: 503 with Retry-After for a database outage, the plain 500 page otherwise."""
    if database_is_unreachable(sys.exc_info()[1]):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))
