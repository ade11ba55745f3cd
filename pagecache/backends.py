"""
The page cache's two stores, on Django's cache framework: the keys ("generations") and each worker's pages.

GenerationsCache: the database cache that holds the keys, read and written in one statement each.

A page-cache hit is one read of this store, so its cost is the hit's cost;
an edit writes a dozen keys, and a page's first render adds the keys it
introduces. Django's DatabaseCache reads each row with its expiry date and
converts it, and before every single write counts the whole table (to cull
it), a table that grows with the site (two keys per page). These keys never
expire (TIMEOUT None) and are never culled, so here a read is one indexed
SELECT of two columns, and `set_many` / `add_many` are one INSERT ... ON
CONFLICT each (SQLite and PostgreSQL both have it). Values are stored as
Django stores them (a pickle, base64-encoded), so `get`, `add`, `delete`,
`clear` and `createcachetable` stay Django's own.
"""

import base64
import pickle
from datetime import datetime

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connections, router, transaction


class GenerationsCache(DatabaseCache):
    def get_many(self, keys, version=None):
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        if not key_map:
            return {}
        connection = connections[router.db_for_read(self.cache_model_class)]
        key, value, table = self._names(connection)
        placeholders = ", ".join(["%s"] * len(key_map))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {key}, {value} FROM {table} WHERE {key} IN ({placeholders})", list(key_map))  # noqa: S608
            rows = cursor.fetchall()
        # Only ever written by this class or DatabaseCache: a pickle of our own values.
        return {key_map[found]: pickle.loads(base64.b64decode(data.encode())) for found, data in rows}  # noqa: S301

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        self._write(data, version, "DO UPDATE SET {value} = excluded.{value}")
        return []

    def add_many(self, data, version=None):
        """Give each key its value unless it has one (Django's caches have no add_many)."""
        self._write(data, version, "DO NOTHING")

    def _write(self, data, version, on_conflict):
        if not data:
            return
        connection = connections[router.db_for_write(self.cache_model_class)]
        key, value, table = self._names(connection)
        expires = connection.ops.adapt_datetimefield_value(datetime.max.replace(microsecond=0))
        rows = [
            (self.make_and_validate_key(name, version=version), self._encode(item), expires)
            for name, item in sorted(data.items())  # one order for every writer: no deadlock between two edits
        ]
        placeholders = ", ".join(["(%s, %s, %s)"] * len(rows))
        on_conflict = on_conflict.format(value=value)
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({key}, {value}, {connection.ops.quote_name('expires')}) "  # noqa: S608
                f"VALUES {placeholders} ON CONFLICT ({key}) {on_conflict}",
                [field for row in rows for field in row],
            )

    def _encode(self, item):
        return base64.b64encode(pickle.dumps(item, self.pickle_protocol)).decode("latin1")

    def _names(self, connection):
        quote_name = connection.ops.quote_name
        return quote_name("cache_key"), quote_name("value"), quote_name(self._table)


class WorkerPagesCache(LocMemCache):
    """
    Each worker's stored pages ("pages"), kept as they are. LocMemCache
    pickles every value on the way in and out so that no caller can change
    what is kept; the page cache never changes an entry once stored (a
    refreshed entry is a new dict), and unpickling 27 KB of page and headers
    was a tenth of the cost of every hit. Bounded and culled as LocMemCache.
    """

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._set(key, value, timeout)
                return True
            return False

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                return default
            value = self._cache[key]
            self._cache.move_to_end(key, last=False)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            self._set(key, value, timeout)
