"""
The anonymous page cache, on Django's cache framework, never stale.

Every cached page names the keys it depends on: "view:<id>" for its own
response, "page:<id>" for each page it shows (itself, its breadcrumbs, its
read-next list, its pager, its translation), "nav:<language>" for the menu,
"site" for all of them, and "any" instead when a view names nothing (the site
map, the glossary). Each key holds a random value in the "generations" cache,
which every worker of every container shares (the database, or Redis when
DJANGO_REDIS_URL is set). A page is served from the "pages" cache only while
every key it depends on still holds the value it had when the page was
rendered (see pagecache.middleware). Every change renews "any" along with
the keys it affects, in one transaction, so a check is one read of "any"
while nothing changed anywhere, and one read of the page's keys after a
change elsewhere (`fresh()`). What the views keep for readers is judged
the same way (`snapshot()`, `content_version()`): each page's reader's copy,
shared by every worker (content.readers_copy), and the sitemap and search
results (content.sitemaps, search), so a request the page cache does not
answer renders nothing twice.

A change gives new values to the keys it affects: `invalidate()` below, called
by the content models where content changes (`content.models.refresh_listings`
says which pages an edit affects), so an edit makes cold only the pages that
show what changed. There is nothing to expire and no lease: the next request
anywhere after the change renders afresh.
"""

import functools
import hashlib
import os
import secrets
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import caches
from django.db import InterfaceError, OperationalError, connections, transaction

GENERATIONS = "generations"


def invalidate(*keys):
    """
    Give the keys new values now and again once the transaction commits.

    Now: with the database cache the new values commit with the content (and
    tests, which never commit, see them). Again after the commit: with Redis,
    a reader could otherwise render the old content during the transaction
    and store it under the new values.
    """
    keys = {key for key in keys if not key.endswith(":None")} | {"any"}

    def bump():
        # All at once, "any" with the others: a hit that finds "any" unchanged
        # trusts every other key unchanged (pagecache.middleware). Redis's
        # set_many is one MULTI/EXEC; the database cache's is one transaction here.
        with transaction.atomic():
            caches[GENERATIONS].set_many({key: secrets.token_hex(8) for key in keys}, timeout=None)

    bump()
    transaction.on_commit(bump)


def content_version():
    """
    The value of "any", which every content change renews: what a worker
    keeps rendered under it (content.sitemaps, search) is never stale in any
    worker or container. Read it before rendering what is kept under it.
    """
    return caches[GENERATIONS].get_or_set("any", secrets.token_hex(8), timeout=None)


def content_version_reconnecting():
    """
    `content_version()`, as the first database read of a request: once more
    on a new connection if the one this worker kept has died (the database
    restarted or failed over). Connections are not health-checked on every
    request (settings: DJANGO_CONN_HEALTH_CHECKS), as that would double the
    round trips of a page-cache hit; this retry gives a cache hit the same
    safety for free.
    """
    try:
        return content_version()
    except (OperationalError, InterfaceError):
        connections.close_all()
        return content_version()


def start_keys(keys, current):
    """
    Give keys that have no value (never set, or evicted) one, unless a change
    gives them one first. It derives from `current`, the value of "any" read
    before: every change renews "any", so a value can come back only if
    nothing changed. Written once; from then on what is kept under a key
    survives changes elsewhere.
    """
    generations = caches[GENERATIONS]
    starting = {key: current + key for key in keys}
    if hasattr(generations, "add_many"):
        generations.add_many(starting)  # the database: one statement (pagecache.backends)
    else:
        for key, value in starting.items():
            generations.add(key, value, timeout=None)


def snapshot(keys):
    """
    The values of `keys` (and "site") now, to keep something rendered after
    this read under: {"keys": {key: value}, "any": value of "any",
    "complete": whether every key has a value}. See `fresh()`.
    """
    generations = caches[GENERATIONS]
    keys = {"site", *keys}
    values = generations.get_many(keys | {"any"})
    current = values.pop("any", None) or content_version()
    if missing := keys - values.keys():
        start_keys(missing, current)
        values.update(generations.get_many(missing))
    return {"keys": values, "any": current, "complete": values.keys() == keys}


def fresh(entry, remember=None, current=None):
    """
    Whether what was kept under `snapshot()` still shows the current content:
    one read while "any" (renewed by every change, with the other keys, in one
    transaction) holds the value it had; after a change elsewhere, one read of
    all the entry's keys, and `remember` is given the new value of "any" to
    keep with the entry. An entry
    made while a key had no value (never set, or evicted) is fresh only until
    the next change anywhere: a key that comes back empty tells nothing.
    `current`: the value of "any", when the caller has just read it.
    """
    generations = caches[GENERATIONS]
    if (current or generations.get("any")) == entry["any"]:
        return True
    if not entry["complete"]:
        return False
    values = generations.get_many({*entry["keys"], "any"})
    checked = values.pop("any", None)
    if checked is None or values != entry["keys"]:
        return False
    if remember is not None:
        remember(checked)
    return True


@functools.cache
def rendering_fingerprint():
    """
    A hash of everything besides content that shapes a rendered page: the
    project's Python code, templates and compiled translations, the static
    files' hashed names, Django's version and the settings printed on every
    page. Kept pages are stored under it, so after a deploy no worker serves
    a page rendered by the previous release (with its old stylesheet name).
    Computed once per process, in a few milliseconds.
    """
    root = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=8)
    skipped = {".venv", "tests", "media", "staticfiles", "node_modules", "artifacts", "scripts"}
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if name not in skipped and not name.startswith("."))
        for name in sorted(files):
            if name.endswith((".py", ".html", ".mo")):
                path = Path(folder, name)
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    manifest = Path(settings.STATIC_ROOT or root / "staticfiles", "staticfiles.json")
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    for value in (django.__version__, settings.SITE_URL, settings.SITE_PUBLISHER, settings.SITE_CONTACT_EMAIL):
        digest.update(value.encode() + b"\0")
    return digest.hexdigest()
