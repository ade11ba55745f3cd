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
rendered (see pagecache.middleware).

A change gives new values to the keys it affects: `invalidate()` below, called
by the content models where content changes (`content.models.refresh_listings`
says which pages an edit affects), so an edit makes cold only the pages that
show what changed. There is nothing to expire and no lease: the next request
anywhere after the change renders afresh.
"""

import hashlib
import secrets

from django.core.cache import caches
from django.db import transaction

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


def version(keys):
    """
    A short string that changes whenever any of `keys` does, read in one go
    from the shared "generations" cache: for what a worker keeps rendered
    (content.views, content.sitemaps, search), so it is never stale in any
    worker or container. version(["any"]) changes with every content change.
    A key never set (or evicted) is stood in for by "any", which every change
    renews along with it, so a version can come back only if nothing it names
    changed. Read it before rendering what is kept under it.
    """
    generations = caches[GENERATIONS]
    keys = {"site", *keys}
    values = generations.get_many(keys | {"any"})
    if "any" not in values:
        values["any"] = generations.get_or_set("any", secrets.token_hex(8), timeout=None)
    missing = keys - values.keys()
    if missing:
        values["missing"] = ",".join(sorted(missing))
    elif "any" not in keys:
        del values["any"]
    return hashlib.blake2b(repr(sorted(values.items())).encode(), digest_size=16).hexdigest()
