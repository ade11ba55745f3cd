"""
Security settings: the secret, hosts, HTTPS and headers, the Content Security
Policy, the admin's address and the login lock-out.
https://docs.djangoproject.com/en/6.1/howto/deployment/checklist/
"""

import datetime
import os

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from atmp_site.settings.base import DEBUG, env_bool, env_list

# Fail fast: production never starts with a default secret.
if DEBUG:
    # A fixed, obviously unsafe key so a newcomer's `make run` needs no set-up.
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-dev-key-only-for-local-debug")
else:
    try:
        SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
    except KeyError:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production mode (DJANGO_DEBUG off) needs a "
            "long random secret key, e.g. from "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`. "
            "For local development set DJANGO_DEBUG=1 instead."
        ) from None
    if not SECRET_KEY.strip():
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is empty; set it to a long random value.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# --- HTTPS and headers ------------------------------------------------------
# The TLS-terminating proxy tells us the original scheme.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# The container's health check speaks plain HTTP from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else 63072000  # two years
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy, Django's own (django.middleware.csp). No inline
# script or style anywhere; the site and the admin (markdownx included) load
# only their own files (tests/operations/test_security_headers.py, test_xss_browser.py).
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# --- The admin: its address and the login lock-out ----------------------------
# The admin's address, e.g. DJANGO_ADMIN_PATH=redaktion-7f3a/ in production so
# that scanners probing /admin/ find nothing. It must not be a page slug.
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

# Brute-force protection for the admin login: django-axes
# (https://django-axes.readthedocs.io/en/latest/4_configuration.html).
# Five wrong passwords for one user name from one address lock that user name
# at that address for the cool-off time, even against the right password; an
# address that fails LOGIN_ADDRESS_FAILURE_LIMIT times is locked as a whole
# (atmp_site.security.LoginLockHandler). Counted in the shared database, so
# the lock is exact across workers and containers.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "atmp_site.security.PermissionBackend"]
AXES_HANDLER = "atmp_site.security.LoginLockHandler"
AXES_FAILURE_LIMIT = 5
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
# In this order: LoginLockHandler reads the first as the user's count, the second as the address's.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_CLIENT_IP_CALLABLE = "atmp_site.security.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_USERNAME_CALLABLE = "atmp_site.security.login_attempt_username"
