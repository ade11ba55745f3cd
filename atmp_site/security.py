"""
Cross-Origin-Resource-Policy on every response, what axes records and locks,
and how a signed-in editor's permissions are read.

Django sets the other security headers itself (SecurityMiddleware: HSTS,
nosniff, Referrer-Policy, Cross-Origin-Opener-Policy; django.middleware.csp:
the Content Security Policy) but has no setting for CORP. `same-origin` stops
other sites from embedding our pages, images and stylesheets (Spectre-style
cross-origin reads); nothing of ours is meant to be embedded elsewhere.
https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Cross-Origin-Resource-Policy
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q, Sum

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


# --- Who is locked out after wrong passwords (django-axes; issue 22, F6) --------
# A lock by user name alone let anyone lock any editor out: five wrong passwords
# every 15 minutes kept a reviewer out for good. The lock is now on the user name
# and the address together (an editor elsewhere still signs in), and an address
# that fails many times over, whatever user names it tries, is locked as a whole.


def client_address(request):
    """
    AXES_CLIENT_IP_CALLABLE: the sign-in's address, as the feedback rate limit reads it.
    Behind the proxy REMOTE_ADDR is the proxy's; the client's address is the one the
    nearest trusted proxy appended to X-Forwarded-For (FEEDBACK_TRUSTED_PROXY_COUNT).
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "FEEDBACK_TRUSTED_PROXY_COUNT", 0)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        address = forwarded[-proxies]  # anything left of it the client could forge
    return address


class LoginLockHandler(AxesDatabaseHandler):
    """
    axes' database handler with two limits: AXES_FAILURE_LIMIT for a user name at
    one address, and the higher LOGIN_ADDRESS_FAILURE_LIMIT for an address.

    axes compares the largest count over its AXES_LOCKOUT_PARAMETERS, here
    [["username", "ip_address"], "ip_address"] in that order, with one limit; the
    address's count is scaled so that it reaches that limit at its own.
    """

    def get_failures(self, request, credentials=None):
        by_user_here, by_address = (
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        scaled = by_address * settings.AXES_FAILURE_LIMIT // settings.LOGIN_ADDRESS_FAILURE_LIMIT
        return max(by_user_here, scaled)

    def reset_user_attempts(self, request, credentials=None):
        """A success clears that user's failures at that address, not the address's other failures."""
        by_user_here = self.filter_user_attempts(request, credentials)[0]
        count, _ = by_user_here.delete()
        return count


class PermissionBackend(ModelBackend):
    """
    Django's model backend, with an editor's own and group permissions read
    in one query instead of two: every admin request asks for them.
    """

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            granted = Permission.objects.all()
            if not user_obj.is_superuser:
                granted = granted.filter(Q(user=user_obj) | Q(group__user=user_obj))
            names = granted.values_list("content_type__app_label", "codename").order_by().distinct()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in names}
        return user_obj._perm_cache
