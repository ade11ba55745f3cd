"""
/healthz for load balancers and the container's HEALTHCHECK.

A middleware, placed first, so that the check answers whatever Host header the
prober sends (the container checks itself as 127.0.0.1, which is not in
ALLOWED_HOSTS in production) and before anything else can fail.
"""

from django.db import DatabaseError, connection
from django.http import HttpResponse

HEALTH_PATH = "/healthz"
# The security middlewares never see this response (it answers before them),
# so it carries their headers itself: a plain text that nothing may sniff,
# frame, cache or load from another site.
HEALTH_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != HEALTH_PATH:
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError:
            text, status = "database unavailable\n", 503
        else:
            text, status = "ok\n", 200
        return HttpResponse(text, status=status, content_type="text/plain", headers=HEALTH_HEADERS)
