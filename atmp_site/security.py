"""
Cross-Origin-Resource-Policy on every response, and the user name axes records.

Django sets the other security headers itself (SecurityMiddleware: HSTS,
nosniff, Referrer-Policy, Cross-Origin-Opener-Policy; django.middleware.csp:
the Content Security Policy) but has no setting for CORP. `same-origin` stops
other sites from embedding our pages, images and stylesheets (Spectre-style
cross-origin reads); nothing of ours is meant to be embedded elsewhere.
https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Cross-Origin-Resource-Policy
"""

CORP_HEADER = "Cross-Origin-Resource-Policy"


class CrossOriginResourcePolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(CORP_HEADER, "same-origin")
        return response


# django-axes stores the user name of every failed sign-in in a 255-character
# column and does not shorten it: on PostgreSQL a longer name (an attacker's or
# a fuzzer's) made the login page fail with a 500. No account name is longer
# than Django's 150 characters, so the cut changes nothing for real accounts.
LOGIN_USERNAME_MAX_LENGTH = 150


def login_attempt_username(request, credentials=None):
    """AXES_USERNAME_CALLABLE: the user name a sign-in attempt used, at most 150 characters."""
    username = (credentials or getattr(request, "data", request.POST)).get("username")
    return username[:LOGIN_USERNAME_MAX_LENGTH] if isinstance(username, str) else username
