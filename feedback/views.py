"""
"Was this page helpful?": one POST, then a redirect back to the page.

CSRF: the page that carries the form is cached as one HTML for all anonymous
readers (issue 5), so the form cannot carry Django's per-reader token. This
endpoint skips the token and does the check CsrfViewMiddleware does before it:
the request must come from our own origin (its Origin header, or failing that
its Referer), and `Sec-Fetch-Site: cross-site` is refused outright, with
Django's usual CSRF failure page (403). The endpoint keeps no session and sets
no cookie, and a forged answer gains an attacker no more than a direct one,
which the rate limit already bounds.

Rate limit: per client, keyed on a salted hash of the IP address (never the
address itself), counted in the "shared" cache (the database's cache table, or
Redis with DJANGO_REDIS_URL), so it holds across every worker of every
container and survives a worker's recycling; nothing about the client outlives the window.
"""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.csrf import csrf_failure
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from atmp_site.security import client_address
from content.models import Page
from feedback.forms import FeedbackForm
from feedback.models import COMMENT_MAX_LENGTH, Feedback


def client_key(request):
    """A salted hash standing for the client; the IP address itself is never kept."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:feedback:{client_address(request)}".encode()).hexdigest()
    return f"feedback-rate:{digest[:32]}"


def over_rate_limit(request):
    """Take one of the client's FEEDBACK_RATE_LIMIT slots; True when all are taken.

    Each slot is a key claimed with `add`, atomic in every store (a unique key in the
    database's cache table, SET NX in Redis), unlike the database cache's `incr` (a read,
    then a write): two workers cannot both take the client's last slot. A slot is free
    again a window after it was taken: at most the limit in any window.
    """
    shared = caches["shared"]
    key = client_key(request)
    window = settings.FEEDBACK_RATE_WINDOW_SECONDS
    return not any(shared.add(f"{key}:{slot}", 1, timeout=window) for slot in range(settings.FEEDBACK_RATE_LIMIT))


def is_same_origin(request):
    """The Origin/Referer half of Django's CSRF check, for a form without a token."""
    if request.META.get("HTTP_SEC_FETCH_SITE") == "cross-site":
        return False
    allowed = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        referer = urlsplit(request.META.get("HTTP_REFERER", ""))
        origin = f"{referer.scheme}://{referer.netloc}" if referer.scheme and referer.netloc else None
    return origin in allowed


@csrf_exempt  # the same-origin check below stands in for the token; see the module docstring
@never_cache
@require_POST
def submit(request, slug):
    if not is_same_origin(request):
        return csrf_failure(request, reason="Feedback must be sent from this site's own pages.")
    page = get_object_or_404(Page.objects.published(), slug=slug)
    if over_rate_limit(request):
        return render(request, "feedback/rate_limited.html", {"page": page}, status=429)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        context = {"page": page, "form": form, "comment_max_length": COMMENT_MAX_LENGTH}
        return render(request, "feedback/invalid.html", context, status=400)
    Feedback.objects.create(page=page, helpful=form.cleaned_data["helpful"], comment=form.cleaned_data["comment"])
    # Back to the page, which thanks the reader; the query string (not a
    # session message) keeps the page cacheable as one HTML for everyone.
    return HttpResponseRedirect(f"{page.get_absolute_url()}?feedback=sent#feedback")
