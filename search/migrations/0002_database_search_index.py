"""
The database's own full-text machinery, created only on the database it belongs to:

- PostgreSQL: the pg_trgm extension (misspellings), a GIN index on the vector
  and a trigram GIN index on the vocabulary.
- SQLite: an FTS5 table mirroring search_searchentry, kept in step by triggers.

Pages are indexed when they are saved (search.models.reindex_page); `rebuild_search_index`
re-indexes them all. This migration imports no app code.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, summary, text,
        content='search_searchentry', content_rowid='page_id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, title, summary, text) VALUES (new.page_id, new.title, new.summary, new.text);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, summary, text)
        VALUES ('delete', old.page_id, old.title, old.summary, old.text);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, summary, text)
        VALUES ('delete', old.page_id, old.title, old.summary, old.text);
        INSERT INTO search_fts(rowid, title, summary, text) VALUES (new.page_id, new.title, new.summary, new.text);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_CREATE = [
    "CREATE INDEX search_entry_vector_gin ON search_searchentry USING gin (vector)",
    "CREATE INDEX search_word_trigram_gin ON search_searchword USING gin (word gin_trgm_ops)",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS search_word_trigram_gin", "DROP INDEX IF EXISTS search_entry_vector_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("content", "0001_initial"),
    ]

    operations = [
        TrigramExtension(),  # a no-op on databases other than PostgreSQL
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
