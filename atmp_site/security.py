"""CORP on every response, what axes records and locks, how an editor's permissions are read."""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q, Sum


class CrossOriginResourcePolicyMiddleware:
    """
    Django has no setting for CORP. `same-origin` stops other sites from embedding
    our pages, images and stylesheets (Spectre-style cross-origin reads).
    https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Cross-Origin-Resource-Policy
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


def login_attempt_username(request, credentials=None):
    """
    AXES_USERNAME_CALLABLE: the attempt's user name, cut to Django's 150 characters. axes
    stores it unshortened in a 255-character column: on PostgreSQL a longer name was a 500.
    """
    username = (credentials or getattr(request, "data", request.POST)).get("username")
    return username[:150] if isinstance(username, str) else username


def client_address(request):
    """
    The client's address: for the feedback rate limit, and for axes (AXES_CLIENT_IP_CALLABLE).
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
    axes' database handler with two limits (issue 22, F6): AXES_FAILURE_LIMIT for a
    user name at one address, so nobody can lock an editor out everywhere, and the
    higher LOGIN_ADDRESS_FAILURE_LIMIT for an address, whatever user names it tries.
    axes compares the larger count of its AXES_LOCKOUT_PARAMETERS with one limit,
    so the address's count is scaled to reach that limit at its own.
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
        return self.filter_user_attempts(request, credentials)[0].delete()[0]


class PermissionBackend(ModelBackend):
    """Django's, with an editor's own and group permissions read in one query, not two: every admin request asks."""

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
