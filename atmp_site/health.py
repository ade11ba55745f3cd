"""
/healthz for load balancers and the container's HEALTHCHECK.

A middleware, placed first, so that the check answers whatever Host header the
prober sends (the container checks itself as 127.0.0.1, which is not in
ALLOWED_HOSTS in production) and before anything else can fail.
"""

from django.db import DatabaseError, connection
from django.http import HttpResponse

HEALTH_PATH = "/healthz"


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != HEALTH_PATH:
            return self.get_response(request)
        if database_answers():
            response = HttpResponse("ok\n", content_type="text/plain")
        else:
            response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        response["Cache-Control"] = "no-store"
        return response
