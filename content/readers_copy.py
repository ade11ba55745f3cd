"""
The reader's copy of a page: rendered once per content change, shared by every worker.

What a reader who is not staff gets at a page's address does not depend on
the request, except for the site's origin (scheme and host, in the canonical
link, the hreflang links and the printed address) and the thanks after
sending feedback. So each published page is rendered once, with a stand-in
origin (`STAND_IN_ORIGIN`), and kept in the "readers_copies" cache: the
database by default, Redis with DJANGO_REDIS_URL, so every worker of every
container, and every worker started after a recycle or a deploy, serves it
without rendering. Serving is the kept HTML with the request's origin put
in: one read of the store and one of the shared key every change renews.

A copy is never stale. It is kept under the page-cache keys the page depends
on and their values read *before* the content it shows (`pagecache.snapshot`,
`pagecache.fresh`), exactly as the page cache keeps whole responses: an edit
renews the keys of every page it affects, so their copies are out of date
from that moment, in every process.

When content changes, the pages whose own key the change renewed get their
new copy right after the commit (`refresh_after_commit`, from
`content.models.refresh_listings`), so the next reader of an edited page does
not wait for a render. A change that reaches many pages (a menu title renews
every page of the language) leaves the rest to be rendered by their next
reader, once for all workers. `manage.py store_readers_copies` renders every
page's copy now (after a bulk import or a deploy).

The copies are keyed by `RENDERING`, a fingerprint of the code, templates,
translations and static file names that shaped them, so a deploy never serves
a copy written by the previous release (with its old stylesheet name).
"""

import functools
import hashlib
import logging

import django
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.http import HttpRequest, QueryDict
from django.template.loader import render_to_string
from django.utils import translation

from pagecache import fresh, snapshot

logger = logging.getLogger(__name__)

STORE = "readers_copies"
# Never a real host (RFC 2606 reserves .invalid): replaced by the request's origin when served.
STAND_IN_HOST = "readers-copy.invalid"
STAND_IN_ORIGIN = f"https://{STAND_IN_HOST}"
# A save renders at most this many copies after its commit; the rest wait for their next reader.
RENDER_AFTER_COMMIT_LIMIT = 50


@functools.cache
def rendering_fingerprint():
    """
    A hash of everything besides content that shapes a copy: the project's
    Python code, templates and compiled translations, the static files'
    hashed names, Django's version and the settings printed on every page.
    Computed once per process (a few milliseconds).
    """
    root = settings.BASE_DIR
    digest = hashlib.blake2b(digest_size=8)
    skipped = {".venv", "tests", "media", "staticfiles", "node_modules", ".git", "artifacts"}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] in skipped or not path.is_file() or path.suffix not in {".py", ".html", ".mo"}:
            continue
        digest.update(str(relative).encode() + b"\0" + path.read_bytes())
    manifest = root / "staticfiles" / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    for value in (django.__version__, settings.SITE_URL, settings.SITE_PUBLISHER, settings.SITE_CONTACT_EMAIL):
        digest.update(value.encode() + b"\0")
    return digest.hexdigest()


def store_key(language, slug):
    return f"copy:{rendering_fingerprint()}:{language}:{slug}"


def kept_copy(language, slug):
    """The kept copy of the page at this slug if it is current: {"html", "keys", ...}, or None."""
    store = caches[STORE]
    key = store_key(language, slug)
    entry = store.get(key)
    if entry is not None and fresh(entry, store, key):
        return entry
    return None


def for_request(entry, request):
    """The copy's HTML with the request's own origin (its host was checked against ALLOWED_HOSTS)."""
    origin = f"{request.scheme}://{request.get_host()}"
    return entry["html"].replace(STAND_IN_ORIGIN, origin)


class StandInRequest(HttpRequest):
    """A reader's GET of the page with no query, no cookie and the stand-in origin."""

    scheme = "https"

    def __init__(self, path):
        super().__init__()
        self.method = "GET"
        self.path = self.path_info = path
        self.GET = QueryDict()
        self.META = {"SERVER_NAME": STAND_IN_HOST, "SERVER_PORT": "443"}
        self.user = AnonymousUser()

    def get_host(self):
        return STAND_IN_HOST


def render_copy(page):
    """
    Render and keep the copy of a published page (as loaded at any time
    before); returns the entry, or None when the page is no longer published
    or what it shows changed between the two reads below.
    """
    from content.models import Page
    from content.views import page_context, page_keys

    keys = page_keys(page)
    before = snapshot(keys)  # before the content: a change after this read leaves the copy out of date
    page = Page.objects.published().select_related("translation").filter(pk=page.pk).first()
    if page is None or page_keys(page) != keys:
        return None  # it changed meanwhile: its next reader renders it
    with translation.override(page.language):
        request = StandInRequest(page.get_absolute_url())
        html = render_to_string("content/page_detail.html", page_context(page), request)
    entry = {**before, "html": html}
    caches[STORE].set(store_key(page.language, page.slug), entry, timeout=None)
    return entry


def refresh_after_commit(page_ids):
    """Once the change commits, render the copies of the pages it made out of date (up to the limit)."""
    from django.db import transaction

    page_ids = sorted(set(page_ids) - {None})[:RENDER_AFTER_COMMIT_LIMIT]
    if page_ids:
        # robust: the content is saved whatever happens here; a copy that fails is rendered by its next reader.
        transaction.on_commit(lambda: _render_all(page_ids), robust=True)


def _render_all(page_ids):
    from content.models import Page

    for page in Page.objects.published().select_related("translation").filter(pk__in=page_ids):
        if kept_copy(page.language, page.slug) is None:  # not already rendered after this commit
            render_copy(page)
