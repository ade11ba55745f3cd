"""
The one way what readers see changes: `publish()` renders the public pages a
change affects into `RenderedPage` rows, in the change's own transaction, so
no worker or container can serve a page older than the content.

Saves and deletes of pages and sources, and changes of related pages, are
recorded by the receivers at the end of this module (a glossary change records
the pages that print the term). Outside a `batch()` a change is published at
once; inside one (an admin save with its sources, an approval, an import), once
at its end.

Which pages a change affects is recorded by the render itself: every page row
loaded while a path renders is noted as shown by it (`Shown`, through
`Page.from_db`). Up to `RENDER_NOW` paths are rendered in the transaction; the
rest are deleted in it (the live view answers them, never a stale copy) and
rendered after the commit, or by `manage.py render_pages`.

Only anonymous renders are stored (no session, query string or CSRF token),
with a stand-in origin that content.delivery replaces with the request's own.
Rows are keyed by `release()`, so a deploy never serves an older release's page.
"""

import contextlib
import contextvars
import functools
import hashlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from simple_history.models import HistoricalRecords

from content import rendering
from content.models import (
    PLACEMENT_FIELDS,
    Page,
    PublishLock,
    RenderedPage,
    Shown,
    Source,
    derived_fields_changed,
    recording_shown_pages,
)
from content.scoped import scoped

logger = logging.getLogger(__name__)

# Never a real host (RFC 2606 reserves .invalid): replaced by the request's origin when served.
STAND_IN_HOST = "stored-page.invalid"
STAND_IN_ORIGIN = f"https://{STAND_IN_HOST}"
# Paths a change renders before its transaction commits; the rest are rendered right after.
RENDER_NOW = 30


def release():
    """What besides content shapes a rendered page: code, templates, translations, static names, Django, settings."""
    return _release(_code_fingerprint(), settings.SITE_URL, settings.SITE_PUBLISHER, settings.SITE_CONTACT_EMAIL)


@functools.lru_cache(maxsize=8)
def _release(*parts):
    # Cached: it is read on every reader's request (content.delivery).
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=8).hexdigest()


@functools.cache
def _code_fingerprint():
    root = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=8)
    skipped = {".venv", "tests", "media", "staticfiles", "node_modules", "artifacts", "scripts", "docs", "deploy"}
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if name not in skipped and not name.startswith("."))
        for name in sorted(files):
            if name.endswith((".py", ".html", ".mo")):
                path = Path(folder, name)
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    manifest = Path(settings.STATIC_ROOT or root / "staticfiles", "staticfiles.json")
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    digest.update(django.__version__.encode())
    return digest.hexdigest()


# --- Which public paths exist -------------------------------------------------


def language_paths(language):
    """The stored paths of a language that are not pages: home, site map, glossary."""
    with translation.override(language):
        return [reverse("content:home"), reverse("content:site_map"), reverse("glossary:index")]


def all_paths():
    paths = [path for code, _name in settings.LANGUAGES for path in language_paths(code)]
    pages = Page.objects.published().only("slug", "language").order_by("language", "order", "pk")
    return paths + [page.get_absolute_url() for page in pages]


# --- Rendering one path ---------------------------------------------------------


# The request header that marks a render for the store: the delivery middleware lets it through.
RENDERING = "HTTP_X_ATMP_STORING"


@functools.cache
def _handler():
    """The site's own request handler, every middleware included (its headers are stored with the page)."""
    handler = BaseHandler()
    handler.load_middleware()
    return handler


def render_path(path):
    """The stored page for a path (unsaved), with the ids of the pages it shows; None if it is not a page now."""
    language = path.strip("/").split("/")[0]
    if language not in dict(settings.LANGUAGES):
        return None, set()
    # A reader's GET over TLS, with no cookie and no query string, from the stand-in origin.
    request = WSGIRequest(
        RequestFactory().get(path, secure=True, headers={"accept-language": language}, **{RENDERING: "1"}).environ
    )
    request.get_host = lambda: STAND_IN_HOST  # never a real host; put back per request (content.delivery)
    # The render must not change what the request that publishes sees: its language, its history user.
    outer_request = getattr(HistoricalRecords.context, "request", None)
    try:
        with translation.override(translation.get_language()), recording_shown_pages() as shown:
            response = _handler().get_response(request)
    except Exception:  # not stored: readers get the live view, which shows the same failure
        logger.exception("Rendering %s for the stored pages failed", path)
        return None, set()
    finally:
        if outer_request is not None:
            HistoricalRecords.context.request = outer_request
    if response.status_code != 200 or response.cookies or response.streaming:
        return None, set()
    headers = {name: value for name, value in response.items() if name.lower() not in UNSTORED_HEADERS}
    if "private" in headers.get("Cache-Control", ""):
        return None, set()
    # The version of the page as readers get it, headers included: workers keep what they serve by it.
    version = hashlib.blake2b(response.content, digest_size=16)
    version.update(json.dumps(headers, sort_keys=True).encode())
    html = response.content.decode()
    return RenderedPage(
        release=release(), path=path, language=language, html=html, etag=version.hexdigest(), headers=headers
    ), shown


# Set per response by the delivery middleware.
UNSTORED_HEADERS = {"content-length", "content-encoding", "etag", "cache-control", "vary", "set-cookie"}


def store(paths):
    """Render `paths` and replace their stored pages (inside the caller's transaction)."""
    paths = list(dict.fromkeys(paths))
    rendered, shows = [], {}
    with rendering.shared_listings():  # the caller's transaction: one state of the content for every path
        # The pages among the paths, read together (with translations and sources) rather than one by one.
        slugs = {path.rstrip("/").rpartition("/")[2] for path in paths}
        rendering.prepare_pages(rendering.reader_pages(Page.objects.published().filter(slug__in=slugs)))
        for path in paths:
            page, shown = render_path(path)
            if page is not None:
                rendered.append(page)
                shows[path] = shown
    gone = set(paths) - set(shows)
    if gone:  # no longer a page (or its render failed): the live view answers it
        RenderedPage.objects.filter(release=release(), path__in=gone).delete()
    if not rendered:
        return 0
    # One statement writes every row, new or replaced, and returns its id.
    stored = RenderedPage.objects.bulk_create(
        rendered,
        update_conflicts=True,
        unique_fields=["release", "path"],
        update_fields=["language", "etag", "headers", "rendered_at", "html"],
    )
    Shown.objects.filter(rendered__in=[row.pk for row in stored]).delete()
    # Plain rows, not model instances: a menu title's publication at 10,000 pages writes ~10,000 of them
    # (a page lists up to 100 children), and bulk_create spent ~0.2 s building and checking the objects.
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Shown._meta.get_field(name).column) for name in ("rendered", "page", "text"))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(Shown._meta.db_table)} ({columns}) VALUES (%s, %s, %s)",  # noqa: S608
            [(row.pk, pk, text) for row in stored for pk, text in shows[row.path].items()],
        )
    return len(stored)


# --- Publishing a change -------------------------------------------------------


@dataclass
class Change:
    """What a batch of edits touched: pages whose content changed, and pages whose place in the site did."""

    pages: set = field(default_factory=set)  # pages whose text changed
    listed: set = field(default_factory=set)  # pages whose title, summary or place changed
    placed: set = field(default_factory=set)  # parents (old and new) of pages that moved, appeared or went
    roots: set = field(default_factory=set)  # languages where an overview page moved, appeared or went
    languages: set = field(default_factory=set)  # whose home, site map and glossary list changed
    gone: set = field(default_factory=set)  # paths that are no longer pages
    paths: set = field(default_factory=set)  # paths to render again, whatever they show
    addressed: set = field(default_factory=set)  # changed pages whose own path is among `paths`
    # Issue 22, glossary: render every path after the commit (a term printed in many pages), none in the request.
    render_later: bool = False

    def __bool__(self):
        return any((self.pages, self.listed, self.placed, self.roots, self.languages, self.gone, self.paths))


_open_batch = contextvars.ContextVar("open_publishing_batch", default=None)


@contextlib.contextmanager
def batch():
    """Publish every change made inside the block once, at its end, in one transaction."""
    if _open_batch.get() is not None:
        yield _open_batch.get()
        return
    with transaction.atomic():
        with scoped(_open_batch, Change()) as change:
            yield change
        if change:
            publish(change)


def record(render_later=False, **touched):
    """Note a change (`Change`'s fields: ids, languages or paths): into the open batch, or published at once."""
    with batch() as change:
        for name, values in touched.items():
            getattr(change, name).update(value for value in values if value)
        change.render_later |= render_later


def affected_paths(change):
    """The stored paths a change reaches (the changed pages' own first), and the ids of the rows to delete."""
    unaddressed = (change.pages | change.listed) - change.addressed
    own = [
        page.get_absolute_url()
        for page in Page.objects.published().filter(pk__in=unaddressed).only("slug", "language")
    ]
    listings = [path for language in sorted(change.languages) for path in language_paths(language)]
    named = [*own, *listings, *change.paths]
    # Text changes reach the stored pages that show the text; listing changes all that list the page.
    # A page that appears, goes or moves changes its parent's page (its children), and an overview
    # page (top level, or a child of one) the menu and "Explore" of every page of its language.
    roots = Page.objects.filter(rendering.OVERVIEW, language__in=change.roots).values("pk")
    shows = Shown.objects.filter(
        Q(page__in=change.listed) | Q(page__in=roots) | Q(page__in=change.pages | change.placed, text=True)
    )
    shown_by = RenderedPage.objects.filter(release=release(), pk__in=shows.values("rendered")).values("path")
    # One read: every release's rows at those paths.
    rows = RenderedPage.objects.filter(Q(path__in=[*named, *change.gone]) | Q(path__in=shown_by))
    paths, stale, current = list(named), [], release()
    for pk, path, row_release in rows.values_list("pk", "path", "release"):
        if row_release != current or path in change.gone:
            stale.append(pk)
        else:
            paths.append(path)
    return [path for path in dict.fromkeys(paths) if path not in change.gone], stale


def take_publishing_lock():
    """One publisher at a time: the second waits here until the first commits (an UPDATE locks on both databases)."""
    if not PublishLock.objects.filter(pk=1).update(taken_at=timezone.now()):
        PublishLock.objects.get_or_create(pk=1)  # a database emptied since its migration
        PublishLock.objects.filter(pk=1).update(taken_at=timezone.now())


def publish(change):
    """Make the stored pages show `change`, in the caller's transaction: render up to `RENDER_NOW` paths now."""
    if not getattr(settings, "STORED_PAGES", True):
        return
    take_publishing_lock()
    paths, stale = affected_paths(change)
    # During a rolling deploy an older container still serves its release's rows: the ones this change
    # makes stale go, so that container renders them live instead (render_pages removes the rest).
    if stale:
        RenderedPage.objects.filter(pk__in=stale).delete()
    now, later = ([], paths) if change.render_later else (paths[:RENDER_NOW], paths[RENDER_NOW:])
    if later:
        RenderedPage.objects.filter(release=release(), path__in=later).delete()
        if _in_memory() and not change.render_later:
            render_in_background(later)  # no other thread can see an in-memory database: now
        else:
            transaction.on_commit(lambda: render_in_background(later), robust=True)
    store(now)


def render_missing(paths=None, chunk=10, pause=0.05):
    """Render every public path (or `paths`) that has no stored page for this release; returns how many."""
    stored = set(RenderedPage.objects.filter(release=release()).values_list("path", flat=True))
    paths = [path for path in (all_paths() if paths is None else paths) if path not in stored]
    return _store_in_chunks(paths, chunk, pause, only_missing=True)


def _store_in_chunks(paths, chunk, pause, only_missing=False):
    """
    Store `paths` a few at a time, each chunk in its own transaction under the
    publishing lock: an editor's save waits for one chunk, never for the whole site.
    """
    total = 0
    for start in range(0, len(paths), chunk):
        if start:
            time.sleep(pause)  # let an editor's save take the lock between two chunks
        with transaction.atomic():
            take_publishing_lock()
            part = paths[start : start + chunk]
            if only_missing:
                have = {*RenderedPage.objects.filter(release=release(), path__in=part).values_list("path", flat=True)}
                part = [path for path in part if path not in have]
            total += store(part)
    return total


# Set by commands (`in_foreground`): their process may end before a background thread has finished.
_foreground = contextvars.ContextVar("render_in_foreground", default=False)


def in_foreground():
    """Inside the block, what a change leaves to the background is rendered right after its commit."""
    return scoped(_foreground, True)


def render_in_background(paths):
    """After a large change has committed: render what it left to the live view, off the request."""

    def work():
        try:
            render_missing(paths)
        except Exception:  # a row not rendered is answered by the live view: log, never crash the worker
            logger.exception("Rendering %s stored pages in the background failed", len(paths))
        finally:
            connection.close()

    if _in_memory() or _foreground.get():
        render_missing(paths)
        return
    close_old_connections()
    threading.Thread(target=work, name="render-stored-pages", daemon=True).start()


def _in_memory():
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def render_all(chunk=10, pause=0.05):
    """Render every public page again, in chunks; forget other releases' pages and paths no longer public."""
    paths = all_paths()
    with connection.cursor() as cursor:
        # Fresh planner statistics first: after a bulk load SQLite planned badly without them (3x slower renders).
        cursor.execute("ANALYZE")
    with transaction.atomic():
        take_publishing_lock()
        RenderedPage.objects.exclude(release=release()).delete()
        public = set(paths)
        gone = [pk for pk, path in RenderedPage.objects.values_list("pk", "path") if path not in public]
        for start in range(0, len(gone), 500):
            RenderedPage.objects.filter(pk__in=gone[start : start + 500]).delete()
    return _store_in_chunks(paths, chunk, pause)


# --- What every save records ------------------------------------------------------


# The fields of a page that other pages' listings show (menu, cards, pager), besides where it sits.
SHOWN_IN_LISTINGS = (*PLACEMENT_FIELDS, "summary")


@receiver(post_save, sender=Page, dispatch_uid="publishing_page_saved")
def page_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    stored = instance.stored_before_save  # the row as Page.save read it, None for a new page
    before = stored and {name: stored[name] for name in SHOWN_IN_LISTINGS}
    now = {name: getattr(instance, name) for name in SHOWN_IN_LISTINGS}
    own = [instance.get_absolute_url()] if instance.is_published else []
    if before == now:
        record(pages=[instance.pk], paths=own, addressed=[instance.pk])  # its text: where the text shows
        return
    if before is not None and all(before[name] == now[name] for name in PLACEMENT_FIELDS):
        # Its summary: wherever it is listed too.
        record(pages=[instance.pk], listed=[instance.pk], paths=own, addressed=[instance.pk])
        return
    gone = []
    if before is not None and (before["slug"], before["language"]) != (now["slug"], now["language"]):
        gone.append(_address(before["language"], before["slug"]))
    if not instance.is_published:
        gone.append(instance.get_absolute_url())
    before = before or {}
    # Its new neighbours in the reading order show it in their pager now (the old ones listed it).
    pages = rendering.listing(instance.language)
    neighbours = [pages.previous_in_reading_order(instance), pages.next_in_reading_order(instance)]
    record(
        pages=[instance.pk, *(page.pk for page in neighbours if page)],
        listed=[instance.pk, before.get("translation_id"), now["translation_id"]],
        placed=[before.get("parent_id"), now["parent_id"]],
        roots={state["language"] for state in (before, now) if state and _is_overview(state.get("parent_id"))},
        languages={before.get("language"), now["language"]} - {None},
        gone=gone,
    )


@receiver(pre_delete, sender=Page, dispatch_uid="publishing_page_before_delete")
def remember_where_shown(sender, instance, **kwargs):
    # The record of which stored pages show it goes with the row: read it first.
    shown_by = RenderedPage.objects.filter(release=release(), shows=instance.pk).distinct()
    instance._shown_by = set(shown_by.values_list("path", flat=True))


@receiver(post_delete, sender=Page, dispatch_uid="publishing_page_deleted")
def page_deleted(sender, instance, **kwargs):
    record(
        listed=[instance.translation_id],
        placed=[instance.parent_id],
        roots=[instance.language] if _is_overview(instance.parent_id) else [],
        languages={instance.language},
        gone=[instance.get_absolute_url()],
        paths=getattr(instance, "_shown_by", ()),
    )


@receiver(derived_fields_changed, sender=Page, dispatch_uid="publishing_derived_fields")
def derived_fields(sender, pages, **kwargs):
    record(pages=pages)


@receiver(m2m_changed, sender=Page.linked_pages.through, dispatch_uid="publishing_cross_links_changed")
def cross_links_changed(sender, instance, action, pk_set, **kwargs):
    # A page lists the pages that link to it ("Read next").
    if action.startswith("post_") and pk_set:
        record(pages=pk_set)  # their own page lists it: the stored page that shows their text


@receiver(post_save, sender=Source, dispatch_uid="publishing_source_saved")
@receiver(post_delete, sender=Source, dispatch_uid="publishing_source_deleted")
def source_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        record(pages=[instance.page_id])


@receiver(m2m_changed, sender=Page.related.through, dispatch_uid="publishing_related_changed")
def related_changed(sender, instance, action, pk_set, **kwargs):
    if action.startswith("post_"):
        record(pages=[instance.pk])  # its own page lists them


def _is_overview(parent_id):
    """Whether a page with this parent is an overview page: in the menu and "Explore" of every page."""
    return parent_id is None or Page.objects.filter(pk=parent_id, parent=None).exists()


def _address(language, slug):
    return Page(language=language, slug=slug).get_absolute_url()
