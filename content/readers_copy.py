"""
The reader's copy of a page: rendered once per content change, shared by every worker.

What a reader who is not staff gets at a page's address does not depend on
the request, except for the site's origin (scheme and host, in the canonical
link, the hreflang links and the printed address) and the thanks after
sending feedback. So each published page is rendered once, with a stand-in
origin (`STAND_IN_ORIGIN`), and kept in the database (`ReadersCopy`), so
every worker of every container, and every worker started after a recycle
or a deploy, serves it without rendering. Serving is the kept HTML with the
request's origin put in: one read of the copy and one of the shared key
every change renews.

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

The copies are keyed by `pagecache.rendering_fingerprint()`, which changes
with the code, templates, translations and static file names that shaped
them, so a deploy never serves a copy written by the previous release.
"""

import functools
import json

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.http import HttpRequest, QueryDict
from django.template.loader import render_to_string
from django.utils import translation

from pagecache import fresh, rendering_fingerprint, snapshot

SLUG_MAX_LENGTH = 80  # Page.slug
# Never a real host (RFC 2606 reserves .invalid): replaced by the request's origin when served.
STAND_IN_HOST = "readers-copy.invalid"
STAND_IN_ORIGIN = f"https://{STAND_IN_HOST}"
# Fields of a page its copy does not show.
NOT_SHOWN = ("body", "unpublished_changes", "quality_warnings")
# A save renders at most this many copies after its commit; the rest wait for their next reader.
RENDER_AFTER_COMMIT_LIMIT = 50


def store_key(language, slug):
    return f"{rendering_fingerprint()}:{language}:{slug}"


@functools.cache
def read_copy_sql():
    from content.models import ReadersCopy

    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in ("html", "depends_on", "content_version", "complete"))
    return f"SELECT {columns} FROM {quote(ReadersCopy._meta.db_table)} WHERE {quote('address')} = %s"  # noqa: S608


def kept_copy(language, slug, current=None):
    """
    The kept copy of the page at this slug if it is current: {"html", "keys",
    ...}, or None. `current`: the value of "any" read earlier in this request
    (by the page cache), which is as good as reading it now: a change that
    commits in between is one this request may or may not see.
    """
    from content.models import ReadersCopy

    if len(slug) > SLUG_MAX_LENGTH:
        return None  # no page has it
    address = store_key(language, slug)
    # Every reader request the page cache does not answer reads a copy: one
    # indexed SELECT, without building a queryset each time (a third of the cost).
    with connection.cursor() as cursor:
        cursor.execute(read_copy_sql(), [address])
        row = cursor.fetchone()
    if row is None:
        return None
    html, depends_on, rendered_under, complete = row
    depends_on = json.loads(depends_on) if isinstance(depends_on, str) else depends_on
    entry = {"html": html, "keys": depends_on, "any": rendered_under, "complete": bool(complete)}

    def remember(now):
        # Found current after a change elsewhere: the next reader needs one read, not two.
        # Only if no newer copy replaced this one meanwhile.
        ReadersCopy.objects.filter(address=address, content_version=rendered_under).update(content_version=now)

    return entry if fresh(entry, remember, current=current) else None


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
    from content.models import Page, ReadersCopy
    from content.views import page_context, page_keys

    keys = page_keys(page)
    before = snapshot(keys)  # before the content: a change after this read leaves the copy out of date
    # Loaded again, after the snapshot, without what the copy does not show
    # (the markdown, the checks) or shows only the title of (the translation).
    unshown = (*NOT_SHOWN, *(f"translation__{name}" for name in (*NOT_SHOWN, "body_html", "sections")))
    pages = Page.objects.published().select_related("translation", "reviewed_by").defer(*unshown)
    page = pages.filter(pk=page.pk).first()
    if page is None or page_keys(page) != keys:
        return None  # it changed meanwhile: its next reader renders it
    with translation.override(page.language):
        request = StandInRequest(page.get_absolute_url())
        html = render_to_string("content/page_detail.html", page_context(page), request)
    entry = {**before, "html": html}
    ReadersCopy.objects.bulk_create(
        [ReadersCopy(address=store_key(page.language, page.slug), page=page, html=html, depends_on=before["keys"],
                     content_version=before["any"], complete=before["complete"])],
        update_conflicts=True, unique_fields=["address"],
        update_fields=["page", "html", "depends_on", "content_version", "complete", "rendered_at"],
    )  # fmt: skip
    return entry


def refresh_after_commit(page_ids):
    """Once the change commits, render the copies of the pages it made out of date (up to the limit)."""
    page_ids = sorted(set(page_ids) - {None})[:RENDER_AFTER_COMMIT_LIMIT]
    if page_ids:
        # robust: the content is saved whatever happens here; a copy that fails is rendered by its next reader.
        transaction.on_commit(lambda: _render_all(page_ids), robust=True)


def _render_all(page_ids):
    from content.models import Page

    for page in Page.objects.published().select_related("translation").filter(pk__in=page_ids):
        if kept_copy(page.language, page.slug) is None:  # not already rendered after this commit
            render_copy(page)
