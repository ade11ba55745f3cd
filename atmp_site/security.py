"""
Cross-Origin-Resource-Policy on every response.

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
