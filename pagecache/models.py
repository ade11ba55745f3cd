"""
The site-wide content generation: one row, bumped by every change to content.

A cached page is served only while the generation it was rendered under is
still the current one. The row lives in the database, so every worker in
every container sees a bump on its next request; and it is bumped inside the
transaction that saves the content, so no reader can see the new generation
before the new content (or the new content under the old generation for long
enough to cache it: an entry is tagged with the generation read *before* the
page was rendered).

Reading the row on every cache hit would cost a database round trip, the
whole cost of a hit. So a worker trusts the generation it read for a short
*lease* (PAGE_CACHE_LEASE, 0.1 s), counted from before its read; in return,
a process that changed content does not acknowledge the change (answer the
request that made it, or exit) until a lease's length after its commit. Any
request that starts after the editor sees "saved" therefore finds every
worker's lease either expired or taken after the commit: never stale, and at
most ten reads a second per worker. The writer pays the 0.1 s, once per request.
A process's own changes end its own lease at once.

Which models count as content is a setting, not a list of special cases:
any save, delete or many-to-many change of a model in an app named in
`PAGE_CACHE_INVALIDATING_APPS` bumps the generation. `QuerySet.update()` and
`bulk_create()` send no signals: code that uses them on content must call
`bump()` itself.
"""

import atexit
import time
from functools import cache

from django.apps import apps as global_apps
from django.conf import settings
from django.db import connections, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.module_loading import import_string

THE_ROW = 1


class ContentGeneration(models.Model):
    value = models.BigIntegerField(default=1)
    # Unix time at which content changes without a save (a scheduled page
    # falling due): cached pages expire then. See PAGE_CACHE_NEXT_CHANGE.
    expires_at = models.FloatField(null=True, blank=True)

    def __str__(self):
        return f"content generation {self.value}"


@cache
def _next_change_function(dotted_path):
    return import_string(dotted_path)


def next_change_at():
    """The Unix time of the next change that no save announces, or None."""
    dotted_path = getattr(settings, "PAGE_CACHE_NEXT_CHANGE", None)
    if not dotted_path:
        return None
    when = _next_change_function(dotted_path)()
    if when is None or when.timestamp() <= time.time():
        return None
    return when.timestamp()


_local_changes = 0
_acknowledge_after = 0.0  # time.monotonic()
_waits_at_exit = False


def local_changes():
    """How many times this process changed the generation: a change ends its own lease."""
    return _local_changes


def _hold_acknowledgement():
    global _local_changes, _acknowledge_after, _waits_at_exit
    _local_changes += 1
    _acknowledge_after = max(_acknowledge_after, time.monotonic() + settings.PAGE_CACHE_LEASE)
    if not _waits_at_exit:
        # A shell or management command acknowledges by exiting.
        atexit.register(wait_until_every_reader_knows)
        _waits_at_exit = True


def wait_until_every_reader_knows():
    """Hold back the acknowledgement of a change until no worker can still trust an older generation."""
    remaining = _acknowledge_after - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)


def bump(using=None, acknowledged=True):
    """
    Make every cached page out of date; runs in the caller's transaction.

    `acknowledged=False` is for a change that nobody is told about (a page
    falling due at its time), which needs no wait.
    """
    global _local_changes
    _local_changes += 1
    if acknowledged:
        transaction.on_commit(_hold_acknowledgement, using=using)
    expires_at = next_change_at()
    generations = ContentGeneration.objects.using(using)
    if not generations.filter(pk=THE_ROW).update(value=models.F("value") + 1, expires_at=expires_at):
        # The row is gone (a test database flush): start from a value no
        # worker can still hold.
        generations.update_or_create(pk=THE_ROW, defaults={"value": time.time_ns(), "expires_at": expires_at})


def _is_content(sender):
    # Historical models used by migrations live in their own registry; a
    # migration that changes content is covered by the bump after `migrate`.
    return sender._meta.apps is global_apps and sender._meta.app_label in settings.PAGE_CACHE_INVALIDATING_APPS


def content_saved_or_deleted(sender, using, **kwargs):
    if _is_content(sender):
        bump(using)


def content_relations_changed(sender, action, using, **kwargs):
    if action.startswith("post_") and _is_content(sender):
        bump(using)


def migrated(sender, using, **kwargs):
    # Data migrations change content without the signals above.
    if ContentGeneration._meta.db_table in connections[using].introspection.table_names():
        bump(using)


def connect_invalidation_signals():
    post_save.connect(content_saved_or_deleted, dispatch_uid="pagecache_saved")
    post_delete.connect(content_saved_or_deleted, dispatch_uid="pagecache_deleted")
    m2m_changed.connect(content_relations_changed, dispatch_uid="pagecache_m2m")
    post_migrate.connect(migrated, sender=global_apps.get_app_config("pagecache"), dispatch_uid="pagecache_migrated")
