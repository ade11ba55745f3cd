"""
What a reader gets when the database cannot be reached: a friendly 503.

A lost or refused database connection, wherever it is met, is an outage, not a
bug: "503 Service Unavailable" with `Retry-After` tells browsers, proxies and
search engines to come back rather than to drop the page. Both pages are
rendered without a request context: the context processors query the database.
Recovery needs no restart: Django closes the dead connection, and the next
request opens a fresh one.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

# Seconds a client should wait before retrying; a database restart or
# fail-over usually takes well under a minute.
RETRY_AFTER_SECONDS = 30


def server_error(request):
    """handler500: 503 with Retry-After for a database outage, the plain 500 page otherwise."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
        return HttpResponse(loader.render_to_string("503.html"), status=503, headers=headers)
    return HttpResponseServerError(loader.render_to_string("500.html"))
